using System.Text;

namespace Builder.Sources;

/// <summary>
/// Debian versions in git ref names, mangled as DEP-14 (and git-buildpackage) do, because ':' and '~' may not
/// appear in refs: <c>1:2.0~rc1-1</c> becomes <c>1%2.0_rc1-1</c>, so the tags are <c>prod/1%2.0_rc1-1</c> and
/// <c>upstream/2.0_rc1</c>.
/// </summary>
internal static class GitRefNames
{
    public static string MangleVersion(string version)
    {
        ArgumentNullException.ThrowIfNull(version);
        var s = new StringBuilder(version.Replace(':', '%').Replace('~', '_'));
        // git refuses "..", a trailing "." and a ".lock" suffix; DEP-14 inserts '#' to break them up.
        while (s.ToString().Contains("..", StringComparison.Ordinal))
        {
            s.Replace("..", ".#.");
        }
        if (s.Length > 0 && s[^1] == '.')
        {
            s.Append('#');
        }
        if (s.ToString().EndsWith(".lock", StringComparison.Ordinal))
        {
            s.Insert(s.Length - 4, '#');
        }
        return s.ToString();
    }

    /// <summary>The pocket tag of a published version: <c>&lt;pocket&gt;/&lt;mangled version&gt;</c>.</summary>
    public static string PocketTag(string pocket, string version) => $"{pocket}/{MangleVersion(version)}";

    /// <summary>git-buildpackage's default upstream tag: <c>upstream/&lt;mangled upstream version&gt;</c>.</summary>
    public static string UpstreamTag(string upstreamVersion) => $"upstream/{MangleVersion(upstreamVersion)}";
}
