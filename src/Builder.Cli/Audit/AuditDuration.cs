using System.Globalization;

namespace Builder.Cli.Audit;

/// <summary>
/// The duration of <c>audit verify --max-age</c>: a whole number and a unit (<c>90s</c>, <c>90m</c>, <c>2h</c>,
/// <c>1d</c>) or <c>hh:mm:ss</c> (also <c>d.hh:mm:ss</c>); positive and at most 366 days.
/// </summary>
internal static class AuditDuration
{
    public static readonly TimeSpan Max = TimeSpan.FromDays(366);

    public const string Forms = "a positive duration such as 90m, 2h, 1d or hh:mm:ss";

    public static bool TryParse(string value, out TimeSpan duration)
    {
        duration = default;
        if (value.Length is 0 or > 32)
        {
            return false;
        }
        if (value.Contains(':', StringComparison.Ordinal))
        {
            // "c" alone also takes hh:mm; only the documented hh:mm:ss (with an optional day) is meant.
            if (value.Count(c => c == ':') != 2 || !TimeSpan.TryParseExact(value, ["c"], CultureInfo.InvariantCulture, out duration))
            {
                return false;
            }
        }
        else
        {
            var unit = value[^1] switch { 's' => TimeSpan.FromSeconds(1), 'm' => TimeSpan.FromMinutes(1), 'h' => TimeSpan.FromHours(1), 'd' => TimeSpan.FromDays(1), _ => TimeSpan.Zero };
            var digits = value[..^1];
            if (unit == TimeSpan.Zero || digits.Length is 0 or > 9 || !digits.All(char.IsAsciiDigit) ||
                !long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n > Max / unit)
            {
                return false;
            }
            duration = n * unit;
        }
        return duration > TimeSpan.Zero && duration <= Max;
    }
}
