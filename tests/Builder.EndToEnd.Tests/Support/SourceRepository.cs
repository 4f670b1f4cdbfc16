using Builder.Tests.Common;

namespace Builder.EndToEnd.Tests.Support;

/// <summary>
/// A package's bare git repository made from a directory of files, as an admin would lay it out: branches main (prod)
/// and dev at the same commit, so a commit built in one pocket can be submitted to another.
/// </summary>
public static class SourceRepository
{
    /// <summary>
    /// Makes <c>GITDIR/NAME.git</c> from <paramref name="sourceDirectory"/>. <paramref name="name"/> renames the source and
    /// its first binary package (Source:, the first Package:, the changelog's first line); <paramref name="buildDepends"/>,
    /// when given, becomes the source's Build-Depends.
    /// </summary>
    public static string Create(string gitDirectory, string sourceDirectory, string name, string? buildDepends = null)
    {
        var work = TestEnvironment.NewTempDirectory("source-" + name);
        TestProcess.Check("cp", ["-a", "--", sourceDirectory + "/.", work]);
        var control = Path.Combine(work, "debian", "control");
        var lines = File.ReadAllLines(control).ToList();
        var source = lines.First(l => l.StartsWith("Source: ", StringComparison.Ordinal))["Source: ".Length..];
        var first = lines.FindIndex(l => l.StartsWith("Package: ", StringComparison.Ordinal));
        lines[lines.FindIndex(l => l.StartsWith("Source: ", StringComparison.Ordinal))] = "Source: " + name;
        lines[first] = "Package: " + name;
        if (buildDepends is not null)
        {
            lines.Insert(lines.FindIndex(l => l.StartsWith("Source: ", StringComparison.Ordinal)) + 1, "Build-Depends: " + buildDepends);
        }
        File.WriteAllLines(control, lines);
        var changelog = Path.Combine(work, "debian", "changelog");
        var text = File.ReadAllText(changelog);
        File.WriteAllText(changelog, string.Concat(name, text.AsSpan(source.Length)));

        var bare = Path.Combine(gitDirectory, name + ".git");
        TestProcess.Check("git", ["-C", work, "init", "-q", "-b", "main"]);
        TestProcess.Check("git", ["-C", work, "add", "-A"]);
        TestProcess.Check("git", ["-C", work, "-c", "user.name=Builder test", "-c", "user.email=test@builder.test", "commit", "-q", "-m", "Import " + name]);
        TestProcess.Check("git", ["-C", work, "branch", "dev"]);
        TestProcess.Check("git", ["init", "-q", "--bare", bare]);
        TestProcess.Check("git", ["-C", work, "push", "-q", bare, "main", "dev"]);
        return bare;
    }

    /// <summary>A directory of attacker packages shipped with the tests (tests/Builder.EndToEnd.Tests/Packages).</summary>
    public static string TestPackage(string name) => Path.Combine(TestEnvironment.RepositoryRoot, "tests", "Builder.EndToEnd.Tests", "Packages", name);

    /// <summary>A demo package of ops/demo.</summary>
    public static string DemoPackage(string name) => Path.Combine(TestEnvironment.RepositoryRoot, "ops", "demo", name);
}
