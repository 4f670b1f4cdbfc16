namespace Builder.Core.Debian;

/// <summary>
/// The deb822 stanza reader shared by Debian control-format files (debian/control, a binary package's control
/// file, a .changes): <c>Field: value</c> lines, continuation lines starting with a space or tab (a lone <c>.</c>
/// is an empty line), <c>#</c> comment lines, blank lines between stanzas. Field names are matched
/// case-insensitively; a field twice in one stanza is an error, as in dpkg. Every count and length is capped,
/// because some of these files come from a build that may be hostile.
/// </summary>
public static class Deb822
{
    /// <summary>Every stanza of <paramref name="text"/>.</summary>
    /// <param name="text">the file's text.</param>
    /// <param name="fileName">the name errors carry.</param>
    /// <param name="maxFields">most fields in one stanza.</param>
    /// <param name="maxStanzas">most stanzas.</param>
    /// <param name="maxFieldLength">longest line and longest field value (continuations included).</param>
    /// <exception cref="DebianFormatException">naming <paramref name="fileName"/> and the line.</exception>
    public static IReadOnlyList<Deb822Stanza> ReadStanzas(string text, string fileName, int maxFields, int maxStanzas, int maxFieldLength)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(fileName);
        var lines = new LineReader(text, fileName, maxFieldLength);
        var stanzas = new List<Deb822Stanza>();
        Deb822Stanza? current = null;
        Deb822Field? last = null;
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
                last.Continue(more == "." ? "" : more, lines.Number);
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
                current = new Deb822Stanza(lines.Number);
                stanzas.Add(current);
            }
            if (current.TryGetValue(name, out _))
            {
                throw new DebianFormatException(fileName, lines.Number, $"field {name} appears twice in the stanza");
            }
            if (current.Count == maxFields)
            {
                throw new DebianFormatException(fileName, lines.Number, $"more than {maxFields} fields in the stanza");
            }
            last = new Deb822Field(name, lines.Number, line[(colon + 1)..].Trim());
            current.Add(last);
        }
        return stanzas;
    }
}
