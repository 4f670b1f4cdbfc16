using System.Text.RegularExpressions;

namespace Builder.Farm.Policy;

/// <summary>Client compiler names → the farm's compiler. Anything not in the map is refused.</summary>
internal static partial class CompilerMap
{
    private const string FarmGcc = "x86_64-linux-gnu-gcc-12";
    private const string FarmGxx = "x86_64-linux-gnu-g++-12";

    /// <summary>
    /// The built-in map for Debian 12's gcc 12. The distcc client rewrites <c>gcc</c> to <c>x86_64-linux-gnu-gcc</c>
    /// and <c>gcc-12</c> to <c>x86_64-linux-gnu-gcc-12</c> (dcc_gcc_rewrite_fqn), so both forms are listed.
    /// </summary>
    public static IReadOnlyDictionary<string, string> Default { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["cc"] = FarmGcc,
        ["gcc"] = FarmGcc,
        ["gcc-12"] = FarmGcc,
        ["x86_64-linux-gnu-gcc"] = FarmGcc,
        ["x86_64-linux-gnu-gcc-12"] = FarmGcc,
        ["c++"] = FarmGxx,
        ["g++"] = FarmGxx,
        ["g++-12"] = FarmGxx,
        ["x86_64-linux-gnu-g++"] = FarmGxx,
        ["x86_64-linux-gnu-g++-12"] = FarmGxx,
    };

    public static IReadOnlyDictionary<string, string> From(FarmOptions options) =>
        options.Compilers.Count == 0 ? Default : new Dictionary<string, string>(options.Compilers, StringComparer.Ordinal);

    public static bool IsPlainName(string name) => PlainName().IsMatch(name);

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9._+-]{0,127}$", RegexOptions.CultureInvariant)]
    private static partial Regex PlainName();
}
