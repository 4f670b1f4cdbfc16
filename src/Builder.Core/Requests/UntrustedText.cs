using System.Text;

namespace Builder.Core.Requests;

/// <summary>
/// Makes untrusted input safe to echo in an error message (which ends up in JSON, logs and terminals):
/// printable ASCII only, bounded length.
/// </summary>
internal static class UntrustedText
{
    public const int MaxQuoted = 40;

    /// <summary>The text in single quotes, control and non-ASCII characters as <c>\xNN</c>/<c>\uNNNN</c>, cut at 40 characters.</summary>
    public static string Quote(ReadOnlySpan<char> text)
    {
        var sb = new StringBuilder(Math.Min(text.Length, MaxQuoted) + 8);
        sb.Append('\'');
        var shown = 0;
        foreach (var c in text)
        {
            if (shown == MaxQuoted)
            {
                sb.Append("...");
                break;
            }
            if (c is >= ' ' and <= '~' and not '\\' and not '\'')
            {
                sb.Append(c);
            }
            else if (c <= 0xff)
            {
                sb.Append("\\x").Append(((int)c).ToString("x2", System.Globalization.CultureInfo.InvariantCulture));
            }
            else
            {
                sb.Append("\\u").Append(((int)c).ToString("x4", System.Globalization.CultureInfo.InvariantCulture));
            }
            shown++;
        }
        sb.Append('\'');
        return sb.ToString();
    }
}
