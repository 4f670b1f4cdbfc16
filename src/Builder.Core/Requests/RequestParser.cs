namespace Builder.Core.Requests;

/// <summary>One pass over the lines of a request text; the first problem found is thrown with its line and field.</summary>
internal sealed class RequestParser(string text)
{
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);
    private int _lineCount;

    public BuildRequest Parse()
    {
        var lines = text.Split('\n');
        // Split leaves an empty last element exactly when the text ends with LF.
        var endsWithLf = lines[^1].Length == 0;
        _lineCount = endsWithLf ? lines.Length - 1 : lines.Length;
        string[]? order = null;
        var position = 0;
        for (var i = 0; i < _lineCount; i++)
        {
            var number = i + 1;
            var (field, value) = SplitLine(lines[i], number, isLast: number == _lineCount, endsWithLf);
            if (_values.ContainsKey(field))
            {
                throw new RequestFormatException($"line {number}: duplicate field '{field}'", number, field);
            }
            if (number == 1)
            {
                ExpectField(RequestFields.Magic, field, number);
                if (value != RequestFields.Version)
                {
                    throw new RequestFormatException(
                        $"line 1: unsupported request version {UntrustedText.Quote(value)}; this server reads 'builder-request 1'", 1, field);
                }
            }
            else if (number == 2)
            {
                ExpectField(RequestFields.Action, field, number);
                order = value switch
                {
                    "submit" => RequestFields.SubmitOrder,
                    "cancel" => RequestFields.CancelOrder,
                    _ => throw new RequestFormatException(
                        $"line 2: field 'action': {UntrustedText.Quote(value)} is not 'submit' or 'cancel'", 2, field),
                };
            }
            else
            {
                position = Advance(order!, position, field, number, _values[RequestFields.Action]);
                var problem = RequestFields.Problem(field, value);
                if (problem is not null)
                {
                    throw new RequestFormatException($"line {number}: field '{field}': {problem}", number, field);
                }
            }
            _values.Add(field, value);
        }
        RequireComplete(order, position);
        return Build();
    }

    private (string Field, string Value) SplitLine(string line, int number, bool isLast, bool endsWithLf)
    {
        if (line.Contains('\r', StringComparison.Ordinal))
        {
            throw new RequestFormatException($"line {number}: CR in line; lines end with LF only", number, null);
        }
        if (isLast && !endsWithLf)
        {
            throw new RequestFormatException($"line {number}: the line does not end with LF (every line ends with LF, the last one too)", number, null);
        }
        if (line.Length == 0)
        {
            throw new RequestFormatException($"line {number}: blank line; a request has no blank lines", number, null);
        }
        var space = line.IndexOf(' ', StringComparison.Ordinal);
        if (space <= 0 || space == line.Length - 1 || line.IndexOf(' ', space + 1) >= 0
            || !line.AsSpan(0, space).ContainsOnlyFieldNameChars())
        {
            throw new RequestFormatException(
                $"line {number}: malformed line {UntrustedText.Quote(line)}; expected '<field> <value>' separated by one space", number, null);
        }
        var field = line[..space];
        if (Array.IndexOf(RequestFields.All, field) < 0)
        {
            throw new RequestFormatException($"line {number}: unknown field {UntrustedText.Quote(field)}", number, field);
        }
        return (field, line[(space + 1)..]);
    }

    private static void ExpectField(string expected, string found, int number)
    {
        if (found != expected)
        {
            throw new RequestFormatException($"line {number}: field '{expected}' expected, found '{found}'", number, expected);
        }
    }

    /// <summary>Moves past <paramref name="field"/> in the action's order, allowing the optional field to be absent.</summary>
    private static int Advance(string[] order, int position, string field, int number, string action)
    {
        if (Array.IndexOf(order, field) < 0)
        {
            throw new RequestFormatException($"line {number}: field '{field}' does not belong in a {action} request", number, field);
        }
        if (position >= order.Length)
        {
            throw new RequestFormatException(
                $"line {number}: field '{field}' after '{RequestFields.Issued}', which is the last field", number, field);
        }
        if (order[position] == field)
        {
            return position + 1;
        }
        if (RequestFields.IsOptional(order[position]) && position + 1 < order.Length && order[position + 1] == field)
        {
            return position + 2;
        }
        throw new RequestFormatException($"line {number}: field '{order[position]}' expected, found '{field}'", number, order[position]);
    }

    private void RequireComplete(string[]? order, int position)
    {
        string? missing = null;
        if (_lineCount < 2)
        {
            missing = RequestFields.Action;
        }
        else
        {
            for (var p = position; p < order!.Length && missing is null; p++)
            {
                if (!RequestFields.IsOptional(order[p]))
                {
                    missing = order[p];
                }
            }
        }
        if (missing is not null)
        {
            throw new RequestFormatException($"field '{missing}' is missing (the request ends after line {_lineCount})", null, missing);
        }
    }

    private BuildRequest Build()
    {
        var isSubmit = _values[RequestFields.Action] == "submit";
        long? buildId = null;
        if (!isSubmit && RequestFields.TryParseBuildId(_values[RequestFields.Build], out var id))
        {
            buildId = id;
        }
        RequestFields.TryParseIssued(_values[RequestFields.Issued], out var issued);
        return new BuildRequest(
            isSubmit ? RequestAction.Submit : RequestAction.Cancel,
            _values[RequestFields.Pocket],
            _values.GetValueOrDefault(RequestFields.Package),
            _values.GetValueOrDefault(RequestFields.Commit),
            buildId,
            _values[RequestFields.Requester],
            _values[RequestFields.Nonce],
            issued);
    }
}
