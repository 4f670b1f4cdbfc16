namespace Builder.Core.Text;

/// <summary>
/// Untrusted text that may span lines (a tool's stderr tail, a failure reason quoting it) made into one clean line:
/// each line cleaned with <see cref="UntrustedText.Clean"/>, empty ones dropped, the rest joined with
/// <see cref="Separator"/>. One line, so it cannot start a line of its own in a log that reads as the daemon's.
/// </summary>
public static class UntrustedLines
{
    /// <summary>What stands between the joined lines.</summary>
    public const string Separator = " | ";

    private static readonly char[] LineBreaks = ['\n', '\r'];

    /// <summary>The text as one clean line; the same instance when it already was one.</summary>
    public static string Join(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.IndexOfAny(LineBreaks) < 0)
        {
            return UntrustedText.Clean(text);
        }
        return string.Join(Separator, text.Split(LineBreaks, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(UntrustedText.Clean));
    }
}
