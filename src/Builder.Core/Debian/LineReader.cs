namespace Builder.Core.Debian;

/// <summary>
/// Splits text into lines (LF, optionally CR LF) with 1-based numbers, refusing lines longer than
/// <see cref="DebianChangelog.MaxLineLength"/> and NUL or other control characters except tab.
/// </summary>
internal sealed class LineReader(string text, string fileName = DebianChangelog.FileName, int maxLineLength = DebianChangelog.MaxLineLength)
{
    private int _position;

    public int Number { get; private set; }

    public string? Next()
    {
        if (_position >= text.Length)
        {
            return null;
        }
        Number++;
        var end = text.IndexOf('\n', _position);
        if (end < 0)
        {
            end = text.Length;
        }
        var line = text[_position..end];
        _position = end + 1;
        if (line.EndsWith('\r'))
        {
            line = line[..^1];
        }
        if (line.Length > maxLineLength)
        {
            throw new DebianFormatException(fileName, Number, $"line is longer than {maxLineLength} characters");
        }
        foreach (var c in line)
        {
            if (char.IsControl(c) && c != '\t')
            {
                throw new DebianFormatException(fileName, Number, $"control character U+{(int)c:X4} in line");
            }
        }
        return line;
    }
}
