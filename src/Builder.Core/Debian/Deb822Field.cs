namespace Builder.Core.Debian;

/// <summary>One field of a deb822 stanza: its name as written, the line it starts on and its value.</summary>
public sealed class Deb822Field
{
    private readonly List<int> _lines;

    internal Deb822Field(string name, int line, string value)
    {
        Name = name;
        Line = line;
        Value = value;
        _lines = [line];
    }

    public string Name { get; }

    public int Line { get; }

    /// <summary>The first line's text after the colon, then one <c>\n</c>-separated entry per continuation line, all trimmed.</summary>
    public string Value { get; private set; }

    /// <summary>The line number of each <c>\n</c>-separated part of <see cref="Value"/>, so callers can name the line of a list entry.</summary>
    public IReadOnlyList<int> Lines => _lines;

    internal void Continue(string more, int line)
    {
        Value = string.Concat(Value, "\n", more);
        _lines.Add(line);
    }
}
