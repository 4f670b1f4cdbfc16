namespace Builder.Core.Text;

/// <summary>
/// Reads lines of at most a given length from a reader: a longer line comes back in pieces, so a program that prints
/// without a newline costs one line of memory (<see cref="TextReader.ReadLineAsync()"/> would buffer all of it).
/// Ends with <c>\n</c>, <c>\r\n</c> or the end of the stream; a lone <c>\r</c> stays in the line (cleaning shows it).
/// </summary>
public sealed class BoundedLineReader(TextReader reader, int maxChars)
{
    private readonly char[] _buffer = new char[4096];
    private readonly System.Text.StringBuilder _line = new();
    private int _start;
    private int _end;

    /// <summary>The next line or piece of one, without its line break; null at the end of the stream.</summary>
    public async Task<string?> ReadLineAsync(CancellationToken cancellationToken)
    {
        _line.Clear();
        while (true)
        {
            if (_start == _end)
            {
                _end = await reader.ReadAsync(_buffer.AsMemory(), cancellationToken);
                _start = 0;
                if (_end == 0)
                {
                    return _line.Length > 0 ? _line.ToString() : null;
                }
            }
            while (_start < _end)
            {
                var c = _buffer[_start++];
                if (c == '\n')
                {
                    return _line.ToString().TrimEnd('\r');
                }
                _line.Append(c);
                if (_line.Length >= maxChars)
                {
                    return _line.ToString();
                }
            }
        }
    }
}
