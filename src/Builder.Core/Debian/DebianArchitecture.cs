namespace Builder.Core.Debian;

/// <summary>
/// Debian architecture names and wildcards, matched like dpkg's <c>debarch_is</c> (Dpkg::Arch): a name stands for
/// an <c>abi-libc-os-cpu</c> tuple (<c>amd64</c> is <c>base-gnu-linux-amd64</c>, <c>armhf</c> is
/// <c>eabihf-gnu-linux-arm</c>, <c>hurd-i386</c> is <c>base-gnu-hurd-i386</c>), and a wildcard of two to four parts
/// containing <c>any</c> (<c>linux-any</c>, <c>any-amd64</c>, <c>musl-linux-any</c>) matches every name whose tuple
/// agrees in the parts that are not <c>any</c>. Only well-known CPUs and OSes are known; an unknown name matches
/// only itself and <c>any</c>, so a typo never widens what a package is built for.
/// </summary>
internal static class DebianArchitecture
{
    /// <summary>Longest architecture name or wildcard accepted in debian/control.</summary>
    public const int MaxLength = 64;

    // The Linux CPUs of dpkg's cputable with their Debian name; the abi part is not 'base' for a few of them.
    private static readonly Dictionary<string, (string Abi, string Cpu)> LinuxNames = new(StringComparer.Ordinal)
    {
        ["amd64"] = ("base", "amd64"),
        ["arm64"] = ("base", "arm64"),
        ["armhf"] = ("eabihf", "arm"),
        ["armel"] = ("eabi", "arm"),
        ["i386"] = ("base", "i386"),
        ["ppc64el"] = ("base", "ppc64el"),
        ["ppc64"] = ("base", "ppc64"),
        ["powerpc"] = ("base", "powerpc"),
        ["s390x"] = ("base", "s390x"),
        ["riscv64"] = ("base", "riscv64"),
        ["mips64el"] = ("abi64", "mips64el"),
        ["mipsel"] = ("base", "mipsel"),
        ["loong64"] = ("base", "loong64"),
        ["x32"] = ("x32", "amd64"),
        ["alpha"] = ("base", "alpha"),
        ["hppa"] = ("base", "hppa"),
        ["ia64"] = ("base", "ia64"),
        ["m68k"] = ("base", "m68k"),
        ["sh4"] = ("base", "sh4"),
        ["sparc64"] = ("base", "sparc64"),
    };

    // Names '<os>-<cpu>' of non-Linux GNU systems; and '<libc>-linux-<cpu>' of other Linux C libraries.
    private static readonly string[] GnuOses = ["hurd", "kfreebsd", "knetbsd", "kopensolaris"];

    private static readonly string[] LinuxLibcs = ["musl", "uclibc"];

    private static readonly string[] PlainCpus = ["amd64", "arm64", "i386", "ppc64el", "s390x", "riscv64", "mips64el", "loong64"];

    /// <summary>True when a build for <paramref name="buildArchitecture"/> is one that <paramref name="wildcard"/> names.</summary>
    public static bool Matches(string buildArchitecture, string wildcard)
    {
        ArgumentNullException.ThrowIfNull(buildArchitecture);
        ArgumentNullException.ThrowIfNull(wildcard);
        if (wildcard == buildArchitecture || wildcard == "any")
        {
            return true;
        }
        if (Tuple(buildArchitecture) is not { } real || WildcardTuple(wildcard) is not { } pattern)
        {
            return false;
        }
        for (var i = 0; i < 4; i++)
        {
            if (pattern[i] != "any" && pattern[i] != real[i])
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>True for a word dpkg accepts in an Architecture field: lowercase letters, digits and '-', starting alphanumeric.</summary>
    public static bool IsValidName(string word)
    {
        ArgumentNullException.ThrowIfNull(word);
        return word.Length is > 0 and <= MaxLength && char.IsAsciiLetterOrDigit(word[0]) && !word.EndsWith('-')
            && word.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-');
    }

    /// <summary>abi, libc, os, cpu of a concrete architecture name; null when the name is not one dpkg knows.</summary>
    internal static string[]? Tuple(string name)
    {
        if (LinuxNames.TryGetValue(name, out var linux))
        {
            return [linux.Abi, "gnu", "linux", linux.Cpu];
        }
        var dash = name.IndexOf('-', StringComparison.Ordinal);
        if (dash <= 0)
        {
            return null;
        }
        var prefix = name[..dash];
        var rest = name[(dash + 1)..];
        if (GnuOses.Contains(prefix, StringComparer.Ordinal) && PlainCpus.Contains(rest, StringComparer.Ordinal))
        {
            return ["base", "gnu", prefix, rest];
        }
        if (LinuxLibcs.Contains(prefix, StringComparer.Ordinal) && rest.StartsWith("linux-", StringComparison.Ordinal)
            && LinuxNames.TryGetValue(rest["linux-".Length..], out var libcLinux) && libcLinux.Abi == "base")
        {
            return ["base", prefix, "linux", libcLinux.Cpu];
        }
        return null;
    }

    // dpkg's debwildcard_to_debtuple: with an 'any' part, missing leading parts are 'any'; without one it is a name.
    private static string[]? WildcardTuple(string wildcard)
    {
        var parts = wildcard.Split('-', 4);
        if (!parts.Contains("any", StringComparer.Ordinal))
        {
            return Tuple(wildcard);
        }
        return parts.Length switch
        {
            4 => parts,
            3 => ["any", .. parts],
            2 => ["any", "any", .. parts],
            _ => ["any", "any", "any", "any"],
        };
    }
}
