using System.Globalization;
using System.Text.RegularExpressions;

namespace Builder.Core.Debian;

/// <summary>
/// Parses the first entry of debian/changelog, strictly: the header
/// <c>source (version) dist…; urgency=…</c>, change lines indented by two spaces, and the trailer
/// <c> -- Name &lt;email&gt;  Day, dd Mon yyyy hh:mm:ss +zzzz</c> (Debian Policy 4.4). Where dpkg only
/// warns (missing urgency, one space before the date, a wrong weekday) this parser refuses, because the
/// version decides what a pocket accepts.
/// </summary>
public static partial class DebianChangelog
{
    public const string FileName = "debian/changelog";

    /// <summary>Bytes of debian/changelog a caller needs to read: the first entry must end within them.</summary>
    public const int MaxFirstEntryBytes = 1024 * 1024;

    public const int MaxLineLength = 4096;

    private static readonly string[] Urgencies = ["low", "medium", "high", "emergency", "critical"];

    private static readonly string[] Months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

    [GeneratedRegex(@"^(?<source>[a-z0-9][a-z0-9+.-]*) \((?<version>[^\s()]+)\)(?<dists>(?: [A-Za-z0-9][A-Za-z0-9+.-]*)+);(?<options>.*)$",
        RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex Header();

    [GeneratedRegex(@"^ -- (?<name>\S(?:[^<>]*\S)?) <(?<email>[^<>\s]+@[^<>\s]+)>  (?<date>.+)$",
        RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex Trailer();

    [GeneratedRegex(@"^(?<dow>Mon|Tue|Wed|Thu|Fri|Sat|Sun), (?<day>\d{1,2}) (?<mon>[A-Z][a-z]{2}) (?<year>\d{4}) (?<h>\d{2}):(?<m>\d{2}):(?<s>\d{2}) (?<zsign>[+-])(?<zh>\d{2})(?<zm>\d{2})$",
        RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex Date();

    /// <summary>Parses the first entry of <paramref name="text"/> (the file, or at least its first <see cref="MaxFirstEntryBytes"/>).</summary>
    /// <exception cref="DebianFormatException">naming debian/changelog and the line.</exception>
    public static ChangelogEntry ParseFirstEntry(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var cut = text.Length > MaxFirstEntryBytes;
        if (cut)
        {
            text = text[..MaxFirstEntryBytes];
        }
        var lines = new LineReader(text);
        string? line;
        // Blank lines before the first header are tolerated, as dpkg does.
        while ((line = lines.Next()) is not null && line.Trim().Length == 0)
        {
        }
        if (line is null)
        {
            throw Error(0, "the file is empty");
        }
        var header = Header().Match(line);
        if (!header.Success)
        {
            throw Error(lines.Number, $"expected 'source (version) distribution; urgency=...', found '{DebianVersion.Printable(line)}'");
        }
        if (!DebianVersion.TryParse(header.Groups["version"].Value, out var version, out var versionError))
        {
            throw Error(lines.Number, $"invalid version '{DebianVersion.Printable(header.Groups["version"].Value)}': {versionError}");
        }
        var source = header.Groups["source"].Value;
        if (source.Length < 2 || source.Length > 64)
        {
            throw Error(lines.Number, $"invalid source package name '{source}'");
        }
        var dists = header.Groups["dists"].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var urgency = ParseOptions(header.Groups["options"].Value, lines.Number);

        var sawChange = false;
        while ((line = lines.Next()) is not null)
        {
            if (line.StartsWith(" --", StringComparison.Ordinal))
            {
                if (!sawChange)
                {
                    throw Error(lines.Number, "the entry has no change lines before its trailer");
                }
                var (name, email, date) = ParseTrailer(line, lines.Number);
                return new ChangelogEntry(source, version, dists, urgency, name, email, date);
            }
            if (line.Trim().Length == 0)
            {
                continue;
            }
            if (!line.StartsWith("  ", StringComparison.Ordinal))
            {
                throw Error(lines.Number, $"expected a change line indented by two spaces or the ' -- ' trailer, found '{DebianVersion.Printable(line)}'");
            }
            sawChange = true;
        }
        throw Error(lines.Number, cut
            ? $"the first entry does not end within {MaxFirstEntryBytes} bytes"
            : "the first entry has no ' -- Name <email>  date' trailer line");
    }

    private static string ParseOptions(string options, int line)
    {
        string? urgency = null;
        foreach (var option in options.Trim().Split(',', StringSplitOptions.TrimEntries))
        {
            var eq = option.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                throw Error(line, $"expected key=value options after ';', found '{DebianVersion.Printable(option)}'");
            }
            var key = option[..eq];
            var value = option[(eq + 1)..];
            if (!key.All(c => char.IsAsciiLetterOrDigit(c) || c == '-') || value.Length == 0)
            {
                throw Error(line, $"bad option '{DebianVersion.Printable(option)}'");
            }
            if (key.Equals("urgency", StringComparison.OrdinalIgnoreCase))
            {
                if (urgency is not null)
                {
                    throw Error(line, "urgency is given twice");
                }
                var u = value.ToLowerInvariant();
                if (!Urgencies.Contains(u, StringComparer.Ordinal))
                {
                    throw Error(line, $"unknown urgency '{DebianVersion.Printable(value)}' (expected one of {string.Join(", ", Urgencies)})");
                }
                urgency = u;
            }
        }
        return urgency ?? throw Error(line, "the header has no urgency=... option");
    }

    private static (string Name, string Email, DateTimeOffset Date) ParseTrailer(string line, int number)
    {
        var m = Trailer().Match(line);
        if (!m.Success)
        {
            throw Error(number, $"expected ' -- Name <email>  date' (two spaces before the date), found '{DebianVersion.Printable(line)}'");
        }
        var d = Date().Match(m.Groups["date"].Value);
        if (!d.Success)
        {
            throw Error(number, $"expected an RFC 5322 date like 'Mon, 23 Nov 2026 10:00:00 +0000', found '{DebianVersion.Printable(m.Groups["date"].Value)}'");
        }
        var month = Array.IndexOf(Months, d.Groups["mon"].Value) + 1;
        if (month == 0)
        {
            throw Error(number, $"unknown month '{d.Groups["mon"].Value}'");
        }
        DateTimeOffset date;
        try
        {
            var offset = new TimeSpan(Int(d, "zh"), Int(d, "zm"), 0);
            date = new DateTimeOffset(Int(d, "year"), month, Int(d, "day"), Int(d, "h"), Int(d, "m"), Int(d, "s"),
                d.Groups["zsign"].Value == "-" ? -offset : offset);
        }
        catch (ArgumentOutOfRangeException)
        {
            throw Error(number, $"the date '{m.Groups["date"].Value}' does not exist");
        }
        var dow = date.DayOfWeek.ToString()[..3];
        if (dow != d.Groups["dow"].Value)
        {
            throw Error(number, $"the date '{m.Groups["date"].Value}' is a {date.DayOfWeek}, not {d.Groups["dow"].Value}");
        }
        return (m.Groups["name"].Value, m.Groups["email"].Value, date);
    }

    private static int Int(Match m, string group) => int.Parse(m.Groups[group].Value, NumberStyles.None, CultureInfo.InvariantCulture);

    private static DebianFormatException Error(int line, string problem) => new(FileName, line, problem);
}
