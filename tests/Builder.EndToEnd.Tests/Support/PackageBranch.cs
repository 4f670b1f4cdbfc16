using Builder.Tests.Common;

namespace Builder.EndToEnd.Tests.Support;

/// <summary>
/// A developer's change to a package repository, made with the git CLI: a new branch from an existing one with a new
/// debian/changelog entry (and optional file edits), pushed to the bare repository the daemon mirrors.
/// </summary>
public static class PackageBranch
{
    /// <summary>Pushes <paramref name="branch"/> (from <paramref name="from"/>) with the changelog at <paramref name="version"/>; returns the commit id.</summary>
    public static string Push(string bareRepository, string package, string branch, string from, string version, string change,
        IReadOnlyDictionary<string, Func<string, string>>? edits = null)
    {
        var work = TestEnvironment.NewTempDirectory("branch-" + branch);
        TestProcess.Check("git", ["clone", "-q", "--branch", from, "--", bareRepository, work]);
        TestProcess.Check("git", ["-C", work, "checkout", "-q", "-b", branch]);
        var changelog = Path.Combine(work, "debian", "changelog");
        File.WriteAllText(changelog, $"""
            {package} ({version}) unstable; urgency=medium

              * {change}

             -- Builder test <test@builder.test>  Tue, 24 Nov 2026 08:00:00 +0000


            """ + File.ReadAllText(changelog));
        foreach (var (file, edit) in edits ?? new Dictionary<string, Func<string, string>>())
        {
            var path = Path.Combine(work, file);
            File.WriteAllText(path, edit(File.ReadAllText(path)));
        }
        TestProcess.Check("git", ["-C", work, "-c", "user.name=Builder test", "-c", "user.email=test@builder.test", "commit", "-q", "-a", "-m", change]);
        TestProcess.Check("git", ["-C", work, "push", "-q", "origin", branch]);
        return TestProcess.Check("git", ["-C", work, "rev-parse", "HEAD"]);
    }
}
