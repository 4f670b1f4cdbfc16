namespace Builder.Core.Requests;

/// <summary>
/// A request text that is not exactly canonical. <see cref="Exception.Message"/> is a complete sentence for the
/// submitter that names the line and field, e.g. <c>line 3: field 'pocket' expected, found 'package'</c>.
/// </summary>
public sealed class RequestFormatException : FormatException
{
    public RequestFormatException()
    {
    }

    public RequestFormatException(string message)
        : base(message)
    {
    }

    public RequestFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public RequestFormatException(string message, int? line, string? field)
        : base(message)
    {
        Line = line;
        Field = field;
    }

    /// <summary>1-based line the problem is on; null when it concerns the whole request (size, encoding, a missing field).</summary>
    public int? Line { get; }

    /// <summary>The field the problem concerns, when there is one.</summary>
    public string? Field { get; }
}
