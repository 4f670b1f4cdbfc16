using System.Text.RegularExpressions;

namespace Builder.Core.Tests.Requests;

/// <summary>Reads the repository's README so tests can hold its examples to the code.</summary>
internal static partial class Readme
{
    /// <summary>The fenced code blocks of the section that starts with <paramref name="heading"/> (up to the next "## ").</summary>
    public static List<string> CodeBlocks(string heading)
    {
        var text = File.ReadAllText(Path.Combine(RepositoryRoot(), "README.md"));
        var start = text.IndexOf(heading + "\n", StringComparison.Ordinal);
        Assert.True(start >= 0, $"README has no section '{heading}'");
        var end = text.IndexOf("\n## ", start + heading.Length, StringComparison.Ordinal);
        var section = end < 0 ? text[start..] : text[start..end];
        return [.. CodeBlock().Matches(section).Select(m => m.Groups[1].Value)];
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Builder.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException($"no Builder.sln above {AppContext.BaseDirectory}");
    }

    [GeneratedRegex("```\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex CodeBlock();
}
