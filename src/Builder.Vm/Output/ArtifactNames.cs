using System.Text.RegularExpressions;

namespace Builder.Vm.Output;

/// <summary>Which file names a guest may hand back: plain Debian artifact names with an allowed suffix.</summary>
internal static partial class ArtifactNames
{
    /// <summary>The guest agent's exit status; parsed, never written to disk.</summary>
    public const string ExitStatus = "exit-status";

    public const int MaxLength = 200;

    private static readonly string[] Suffixes = [".deb", ".udeb", ".ddeb", ".changes", ".buildinfo", ".dsc", ".diff.gz", ".log"];

    // Debian file names: package_version_arch.ext; versions may carry + ~ . and -. No '/', no leading dot.
    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._+~-]*$")]
    private static partial Regex PlainName();

    [GeneratedRegex(@"\.tar\.[a-z0-9]{1,8}$")]
    private static partial Regex TarSuffix();

    /// <summary>Null when <paramref name="name"/> is acceptable, else why not.</summary>
    public static string? Check(string name)
    {
        if (name.Length == 0)
        {
            return "has an empty name";
        }
        if (name.Length > MaxLength)
        {
            return $"has a name longer than {MaxLength} characters";
        }
        if (name.Contains('/', StringComparison.Ordinal) || name.Contains('\\', StringComparison.Ordinal))
        {
            return "is a path, not a plain file name";
        }
        if (name.Contains("..", StringComparison.Ordinal))
        {
            return "contains '..'";
        }
        if (name[0] == '.')
        {
            return "starts with a dot";
        }
        if (!PlainName().IsMatch(name))
        {
            return "has characters outside [A-Za-z0-9._+~-]";
        }
        if (!Suffixes.Any(s => name.EndsWith(s, StringComparison.Ordinal)) && !TarSuffix().IsMatch(name))
        {
            return "does not end in an allowed suffix (.deb .udeb .ddeb .changes .buildinfo .dsc .tar.* .diff.gz .log)";
        }
        return null;
    }
}
