using System.Text;
using Builder.Core.Text;

namespace Builder.Core.Processes;

/// <summary>
/// Reads a program's output stream to its end and keeps only the last <c>maxChars</c> characters, so a tool that
/// prints without limit costs bounded memory. The text read so far can be taken at any time.
/// </summary>
public sealed class BoundedOutput(int maxChars)
{
    /// <summary>How much of an output an error message quotes.</summary>
    public const int MessageTail = 2000;

    private readonly StringBuilder _kept = new();
    private readonly Lock _lock = new();
    private bool _truncated;

    /// <summary>The last characters read so far.</summary>
    public string Text
    {
        get
        {
            lock (_lock)
            {
                return _kept.Length > maxChars ? _kept.ToString(_kept.Length - maxChars, maxChars) : _kept.ToString();
            }
        }
    }

    /// <summary>Characters were dropped from the front.</summary>
    public bool Truncated
    {
        get
        {
            lock (_lock)
            {
                return _truncated || _kept.Length > maxChars;
            }
        }
    }

    /// <summary>
    /// The last <paramref name="maxChars"/> characters of <paramref name="text"/>, marked with … where cut, as one clean
    /// line (<see cref="UntrustedLines"/>): what tools such as dpkg-source, apt-get or reprepro print about guest-made
    /// files goes into failure reasons, logs and mails, and must not carry escapes or lines that pass for the daemon's.
    /// </summary>
    public static string Tail(string text, int maxChars = MessageTail) => UntrustedLines.Join(text.Length > maxChars ? "…" + text[^maxChars..] : text);

    /// <summary>Reads to the end of the stream; a stream closed under it (its process disposed) ends the read quietly.</summary>
    public async Task ReadToEndAsync(TextReader reader)
    {
        var buffer = new char[8192];
        try
        {
            int read;
            // No cancellation: the read ends when the writer's end closes, which killing the process tree ensures.
            while ((read = await reader.ReadAsync(buffer, CancellationToken.None)) > 0)
            {
                lock (_lock)
                {
                    _kept.Append(buffer, 0, read);
                    // Trim only past twice the cap, so the copy happens once per maxChars characters, not per read.
                    if (_kept.Length > 2 * maxChars)
                    {
                        _kept.Remove(0, _kept.Length - maxChars);
                        _truncated = true;
                    }
                }
            }
        }
        catch (Exception e) when (e is ObjectDisposedException or IOException)
        {
            // The caller stopped waiting for this stream (a child that outlived the program kept it open).
        }
    }
}
