namespace Builder.Core.Debian;

/// <summary>
/// Parses the first stanza of debian/control (deb822: <c>Field: value</c>, continuation lines start with
/// a space or tab, <c>#</c> comment lines, stanzas separated by blank lines) into a <see cref="SourceControl"/>.
/// Duplicate fields, a field without a colon and an unterminated stanza are errors naming the line.
/// </summary>
public static class DebianControl
{
    public const string FileName = "debian/control";

    public const int MaxBytes = 1024 * 1024;

    public const int MaxFields = 200;

    /// <exception cref="DebianFormatException">naming debian/control and the line.</exception>
    public static SourceControl ParseSource(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length > MaxBytes)
        {
            throw new DebianFormatException(FileName, 0, $"larger than {MaxBytes} bytes");
        }
        var fields = ReadFirstStanza(text);
        if (!fields.TryGetValue("source", out var source))
        {
            throw new DebianFormatException(FileName, fields.Count == 0 ? 0 : fields.Values.Min(f => f.Line), "the first stanza has no Source field");
        }
        var name = source.Value.Trim();
        if (name.Length < 2 || name.Length > 64 || !char.IsAsciiLetterOrDigit(name[0])
            || !name.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '+' or '-' or '.'))
        {
            throw new DebianFormatException(FileName, source.Line, $"Source: invalid source package name '{DebianVersion.Printable(name)}'");
        }
        return new SourceControl(
            name,
            Relations(fields, "Build-Depends"),
            Relations(fields, "Build-Depends-Indep"),
            Relations(fields, "Build-Depends-Arch"),
            Relations(fields, "Build-Conflicts"));
    }

    private static IReadOnlyList<Relation> Relations(Dictionary<string, Field> fields, string name)
    {
        if (!fields.TryGetValue(name.ToLowerInvariant(), out var field))
        {
            return [];
        }
        try
        {
            return RelationParser.Parse(field.Value, name);
        }
        catch (FormatException e)
        {
            throw new DebianFormatException(FileName, field.Line, e.Message);
        }
    }

    private static Dictionary<string, Field> ReadFirstStanza(string text)
    {
        var lines = new LineReader(text, FileName, RelationParser.MaxFieldLength);
        var fields = new Dictionary<string, Field>(StringComparer.Ordinal);
        string? key = null;
        string? line;
        while ((line = lines.Next()) is not null)
        {
            if (line.StartsWith('#'))
            {
                continue;
            }
            if (line.Trim().Length == 0)
            {
                if (fields.Count > 0)
                {
                    break;
                }
                continue;
            }
            if (line[0] is ' ' or '\t')
            {
                if (key is null)
                {
                    throw new DebianFormatException(FileName, lines.Number, "continuation line before any field");
                }
                var f = fields[key];
                var more = line.Trim();
                // A lone '.' stands for an empty line in multi-line fields (Description).
                f.Value = string.Concat(f.Value, "\n", more == "." ? "" : more);
                if (f.Value.Length > RelationParser.MaxFieldLength)
                {
                    throw new DebianFormatException(FileName, f.Line, $"field {f.Name} is longer than {RelationParser.MaxFieldLength} characters");
                }
                continue;
            }
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            var name = colon > 0 ? line[..colon] : "";
            if (name.Length == 0 || !name.All(c => c > ' ' && c < 127 && c != ':') || name[0] is '-' or '#')
            {
                throw new DebianFormatException(FileName, lines.Number, $"expected 'Field: value', found '{DebianVersion.Printable(line)}'");
            }
            key = name.ToLowerInvariant();
            if (fields.ContainsKey(key))
            {
                throw new DebianFormatException(FileName, lines.Number, $"field {name} appears twice in the stanza");
            }
            if (fields.Count == MaxFields)
            {
                throw new DebianFormatException(FileName, lines.Number, $"more than {MaxFields} fields in the stanza");
            }
            fields[key] = new Field(name, lines.Number) { Value = line[(colon + 1)..].Trim() };
        }
        return fields;
    }

    private sealed class Field(string name, int line)
    {
        public string Name { get; } = name;

        public int Line { get; } = line;

        public string Value { get; set; } = "";
    }
}
