using System.Globalization;
using System.Text;

namespace Builder.Farm.Records;

/// <summary>
/// The argv a record stores (Farm:MaxRecordedArgvBytes): arguments are kept whole while they fit, the one that crosses
/// the cap is cut at a character boundary, and one marker argument says how many UTF-8 bytes were left out. A refused
/// job's argv is the client's, so without this one row could hold 512 × 4 KiB of whatever the guest chose.
/// </summary>
internal static class RecordedArgv
{
    public const string MarkerPrefix = "…[argv truncated: ";

    public static IReadOnlyList<string> Cap(IReadOnlyList<string> argv, int maxBytes)
    {
        long total = 0;
        foreach (var a in argv)
        {
            total += Encoding.UTF8.GetByteCount(a);
        }
        if (total <= maxBytes)
        {
            return argv;
        }
        var kept = new List<string>();
        long used = 0;
        foreach (var a in argv)
        {
            var length = Encoding.UTF8.GetByteCount(a);
            if (used + length <= maxBytes)
            {
                kept.Add(a);
                used += length;
                continue;
            }
            var part = Prefix(a, (int)(maxBytes - used));
            if (part.Length > 0)
            {
                kept.Add(part);
                used += Encoding.UTF8.GetByteCount(part);
            }
            break;
        }
        kept.Add(string.Create(CultureInfo.InvariantCulture, $"{MarkerPrefix}{total - used} more bytes]"));
        return kept;
    }

    // The longest prefix of whole characters (never half a surrogate pair) that fits in maxBytes.
    private static string Prefix(string s, int maxBytes)
    {
        var bytes = 0;
        var i = 0;
        while (i < s.Length)
        {
            var step = char.IsHighSurrogate(s[i]) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1]) ? 2 : 1;
            var size = Encoding.UTF8.GetByteCount(s.AsSpan(i, step));
            if (bytes + size > maxBytes)
            {
                break;
            }
            bytes += size;
            i += step;
        }
        return s[..i];
    }
}
