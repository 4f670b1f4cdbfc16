using Builder.Tests.Common;

namespace Builder.Sources.Tests.Support;

/// <summary>The real git CLI, run from an argument list with a fixed identity and no user or system config.</summary>
internal static class Git
{
    private static readonly Dictionary<string, string> Environment = new()
    {
        ["GIT_CONFIG_NOSYSTEM"] = "1",
        ["GIT_CONFIG_GLOBAL"] = "/dev/null",
        ["GIT_AUTHOR_NAME"] = "Test Author",
        ["GIT_AUTHOR_EMAIL"] = "author@example.org",
        ["GIT_COMMITTER_NAME"] = "Test Author",
        ["GIT_COMMITTER_EMAIL"] = "author@example.org",
    };

    public static string Run(string workingDirectory, params string[] args) => TestProcess.Check("git", args, workingDirectory, Environment);
}
