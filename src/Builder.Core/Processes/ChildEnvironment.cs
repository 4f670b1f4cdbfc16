using System.Text.RegularExpressions;

namespace Builder.Core.Processes;

/// <summary>
/// The environment a child starts with. Never the daemon's own: that holds its settings (<c>BUILDER__…</c>, connection
/// strings with passwords, SMTP credentials) and whatever the operator's shell had (LD_PRELOAD, GCONV_PATH, APT_CONFIG,
/// GNUPGHOME …). A child gets <see cref="Path"/>, <see cref="Lang"/>, the variables its command names to inherit and the
/// ones it sets, and nothing else.
/// </summary>
public static partial class ChildEnvironment
{
    /// <summary>Every child's PATH: the system's directories only, so no directory of the daemon's PATH decides what a tool runs.</summary>
    public const string Path = "/usr/sbin:/usr/bin:/sbin:/bin";

    /// <summary>Every child's LANG: UTF-8, and messages in the untranslated wording that error handling matches.</summary>
    public const string Lang = "C.UTF-8";

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex VariableName();

    /// <summary>Whether <paramref name="name"/> is a plain variable name (letters, digits, '_', not starting with a digit).</summary>
    public static bool IsName(string? name) => name is not null && VariableName().IsMatch(name);

    /// <summary>One variable's name, exactly: no pattern, no "all".</summary>
    /// <exception cref="ArgumentException">it is not a plain variable name.</exception>
    public static string CheckName(string name) => IsName(name)
        ? name
        : throw new ArgumentException($"'{name}' is not an environment variable's name (letters, digits, '_'): "
            + "a child inherits variables one by one, never by pattern or all of them", nameof(name));

    /// <summary>Replaces <paramref name="target"/> (a start info's environment) with the child's.</summary>
    /// <param name="target">the start info's environment, which starts as a copy of this process's.</param>
    /// <param name="inherit">names taken from this process's environment (those it has).</param>
    /// <param name="set">variables set, winning over the defaults and the inherited; a null value leaves one out.</param>
    internal static void Fill(IDictionary<string, string?> target, IEnumerable<string> inherit,
        IEnumerable<KeyValuePair<string, string?>> set)
    {
        target.Clear();
        target["PATH"] = Path;
        target["LANG"] = Lang;
        foreach (var name in inherit)
        {
            if (System.Environment.GetEnvironmentVariable(CheckName(name)) is { } value)
            {
                target[name] = value;
            }
        }
        foreach (var (name, value) in set)
        {
            if (value is null)
            {
                target.Remove(CheckName(name));
            }
            else
            {
                target[CheckName(name)] = value;
            }
        }
    }
}
