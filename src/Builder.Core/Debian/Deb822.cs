namespace Builder.Core.Debian;

/// <summary>
/// The deb822 stanza reader shared by Debian control-format files: <c>Field: value</c> lines, continuation lines
/// starting with a space or tab (a lone <c>.</c> is an empty line), <c>#</c> comment lines, blank lines between
/// stanzas. Field names are matched case-insensitively; a field twice in one stanza is an error, as in dpkg.
/// </summary>
internal static class Deb822
{
    /// <summary>Every stanza of <paramref name="text"/>, each at most <paramref name="maxFields"/> fields.</summary>
    /// <exception cref="DebianFormatException">naming <paramref name="fileName"/> and the line.</exception>
    public static List<Stanza> ReadStanzas(string text, string fileName, int maxFields, int maxStanzas, int maxFieldLength)
    {
        var lines = new LineReader(text, fileName, maxFieldLength);
        var stanzas = new List<Stanza>();
        Stanza? current = null;
        Field? last = null;
        string? line;
        while ((line = lines.Next()) is not null)
        {
            if (line.StartsWith('#'))
            {
                continue;
            }
            if (line.Trim().Length == 0)
            {
                current = null;
                last = null;
                continue;
            }
            if (line[0] is ' ' or '\t')
            {
                if (last is null)
                {
                    throw new DebianFormatException(fileName, lines.Number, "continuation line before any field");
                }
                var more = line.Trim();
                last.Value = string.Concat(last.Value, "\n", more == "." ? "" : more);
                if (last.Value.Length > maxFieldLength)
                {
                    throw new DebianFormatException(fileName, last.Line, $"field {last.Name} is longer than {maxFieldLength} characters");
                }
                continue;
            }
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            var name = colon > 0 ? line[..colon] : "";
            if (name.Length == 0 || !name.All(c => c > ' ' && c < 127 && c != ':') || name[0] is '-' or '#')
            {
                throw new DebianFormatException(fileName, lines.Number, $"expected 'Field: value', found '{DebianVersion.Printable(line)}'");
            }
            if (current is null)
            {
                if (stanzas.Count == maxStanzas)
                {
                    throw new DebianFormatException(fileName, lines.Number, $"more than {maxStanzas} stanzas");
                }
                current = new Stanza(lines.Number);
                stanzas.Add(current);
            }
            var key = name.ToLowerInvariant();
            if (current.ContainsKey(key))
            {
                throw new DebianFormatException(fileName, lines.Number, $"field {name} appears twice in the stanza");
            }
            if (current.Count == maxFields)
            {
                throw new DebianFormatException(fileName, lines.Number, $"more than {maxFields} fields in the stanza");
            }
            last = new Field(name, lines.Number) { Value = line[(colon + 1)..].Trim() };
            current[key] = last;
        }
        return stanzas;
    }

    /// <summary>One stanza's fields by lowercase name; <see cref="Line"/> is its first field's line (0 for none).</summary>
    internal sealed class Stanza(int line) : Dictionary<string, Field>(StringComparer.Ordinal)
    {
        public int Line { get; } = line;
    }

    internal sealed class Field(string name, int line)
    {
        public string Name { get; } = name;

        public int Line { get; } = line;

        public string Value { get; set; } = "";
    }
}
