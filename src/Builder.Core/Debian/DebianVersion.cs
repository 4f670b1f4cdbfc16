using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using Builder.Core.Text;

namespace Builder.Core.Debian;

/// <summary>
/// A Debian package version <c>[epoch:]upstream[-revision]</c>, parsed and ordered exactly like dpkg
/// (lib/dpkg/parsehelp.c parseversion, lib/dpkg/version.c dpkg_version_compare): the epoch compares
/// numerically, then upstream and revision with verrevcmp, where '~' sorts before everything, even
/// the end of the string, and letters sort before other non-digits.
/// </summary>
public sealed class DebianVersion : IComparable<DebianVersion>, IEquatable<DebianVersion>
{
    /// <summary>Longer version strings are refused before any parsing (dpkg has no limit; no real package comes close).</summary>
    public const int MaxLength = 256;

    private DebianVersion(string text, int epoch, string upstream, string revision)
    {
        Text = text;
        Epoch = epoch;
        Upstream = upstream;
        Revision = revision;
    }

    /// <summary>The version exactly as written (e.g. <c>1:2.10-3</c>).</summary>
    public string Text { get; }

    public int Epoch { get; }

    public string Upstream { get; }

    /// <summary>The Debian revision; empty for a native version.</summary>
    public string Revision { get; }

    /// <summary>True when the version has no Debian revision (a native package's version).</summary>
    public bool IsNative => Revision.Length == 0;

    /// <summary>The version without its epoch, as used in file names (<c>hello_2.10-3.dsc</c>).</summary>
    public string WithoutEpoch => IsNative ? Upstream : $"{Upstream}-{Revision}";

    public static DebianVersion Parse(string text) =>
        TryParse(text, out var version, out var error) ? version : throw new FormatException($"invalid version '{Printable(text)}': {error}");

    /// <summary>Parses like dpkg's parseversion, but treats dpkg's warnings (e.g. a non-digit start) as errors.</summary>
    public static bool TryParse(string text, [NotNullWhen(true)] out DebianVersion? version, [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(text);
        version = null;
        error = Check(text, out var epoch, out var upstream, out var revision);
        if (error is not null)
        {
            return false;
        }
        version = new DebianVersion(text, epoch, upstream, revision);
        return true;
    }

    private static string? Check(string text, out int epoch, out string upstream, out string revision)
    {
        epoch = 0;
        upstream = revision = "";
        if (text.Length == 0)
        {
            return "version string is empty";
        }
        if (text.Length > MaxLength)
        {
            return $"version string is longer than {MaxLength} characters";
        }
        if (text.Any(char.IsWhiteSpace))
        {
            return "version string has embedded spaces";
        }
        var rest = text;
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon >= 0)
        {
            var e = text[..colon];
            if (e.Length == 0)
            {
                return "epoch in version is empty";
            }
            if (!e.All(char.IsAsciiDigit))
            {
                return "epoch in version is not number";
            }
            if (!int.TryParse(e, NumberStyles.None, CultureInfo.InvariantCulture, out epoch))
            {
                return "epoch in version is too big";
            }
            rest = text[(colon + 1)..];
        }
        var dash = rest.LastIndexOf('-');
        upstream = dash >= 0 ? rest[..dash] : rest;
        revision = dash >= 0 ? rest[(dash + 1)..] : "";
        if (upstream.Length == 0)
        {
            return "version number is empty";
        }
        if (dash >= 0 && revision.Length == 0)
        {
            return "revision number is empty";
        }
        if (!char.IsAsciiDigit(upstream[0]))
        {
            return "version number does not start with digit";
        }
        if (!upstream.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '+' or '~' or ':'))
        {
            return "invalid character in version number";
        }
        if (!revision.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '+' or '~'))
        {
            return "invalid character in revision number";
        }
        return null;
    }

    /// <summary>dpkg's ordering: negative when <paramref name="a"/> is older.</summary>
    public static int Compare(DebianVersion a, DebianVersion b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (a.Epoch != b.Epoch)
        {
            return a.Epoch < b.Epoch ? -1 : 1;
        }
        var c = VerRevCmp(a.Upstream, b.Upstream);
        return c != 0 ? c : VerRevCmp(a.Revision, b.Revision);
    }

    public int CompareTo(DebianVersion? other) => other is null ? 1 : Sign(Compare(this, other));

    /// <summary>Equal in dpkg's sense: <c>0:1.0</c> equals <c>1.0</c>, and <c>1.0-0</c> equals <c>1.0</c>.</summary>
    public bool Equals(DebianVersion? other) => other is not null && Compare(this, other) == 0;

    public override bool Equals(object? obj) => obj is DebianVersion v && Equals(v);

    // Equal versions may differ in text only by leading zeros of numeric parts and a zero revision;
    // hash the epoch alone so the hash never disagrees with Equals.
    public override int GetHashCode() => Epoch;

    public override string ToString() => Text;

    public static bool operator ==(DebianVersion? a, DebianVersion? b) => a is null ? b is null : a.Equals(b);

    public static bool operator !=(DebianVersion? a, DebianVersion? b) => !(a == b);

    public static bool operator <(DebianVersion a, DebianVersion b) => Compare(a, b) < 0;

    public static bool operator >(DebianVersion a, DebianVersion b) => Compare(a, b) > 0;

    public static bool operator <=(DebianVersion a, DebianVersion b) => Compare(a, b) <= 0;

    public static bool operator >=(DebianVersion a, DebianVersion b) => Compare(a, b) >= 0;

    private static int Sign(int c) => c < 0 ? -1 : c > 0 ? 1 : 0;

    // dpkg's order(): digits 0 (handled separately), letters by code, '~' before everything, the end of
    // the string 0, anything else after all letters.
    private static int Order(int c) => c switch
    {
        >= '0' and <= '9' => 0,
        (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') => c,
        '~' => -1,
        0 => 0,
        _ => c + 256,
    };

    private static int VerRevCmp(string a, string b)
    {
        int i = 0, j = 0;
        while (i < a.Length || j < b.Length)
        {
            var firstDiff = 0;
            while ((i < a.Length && !char.IsAsciiDigit(a[i])) || (j < b.Length && !char.IsAsciiDigit(b[j])))
            {
                var ac = Order(i < a.Length ? a[i] : 0);
                var bc = Order(j < b.Length ? b[j] : 0);
                if (ac != bc)
                {
                    return ac - bc;
                }
                i++;
                j++;
            }
            while (i < a.Length && a[i] == '0')
            {
                i++;
            }
            while (j < b.Length && b[j] == '0')
            {
                j++;
            }
            while (i < a.Length && j < b.Length && char.IsAsciiDigit(a[i]) && char.IsAsciiDigit(b[j]))
            {
                if (firstDiff == 0)
                {
                    firstDiff = a[i] - b[j];
                }
                i++;
                j++;
            }
            if (i < a.Length && char.IsAsciiDigit(a[i]))
            {
                return 1;
            }
            if (j < b.Length && char.IsAsciiDigit(b[j]))
            {
                return -1;
            }
            if (firstDiff != 0)
            {
                return firstDiff;
            }
        }
        return 0;
    }

    /// <summary>A version string as it may be quoted in an error: cleaned, at most 64 characters.</summary>
    internal static string Printable(string s) => UntrustedText.CleanCut(s, 64);
}
