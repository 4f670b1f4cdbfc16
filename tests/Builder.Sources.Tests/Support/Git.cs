using System.Diagnostics;

namespace Builder.Sources.Tests.Support;

/// <summary>The real git CLI, run from an argument list with a fixed identity and no user or system config.</summary>
internal static class Git
{
    public static string Run(string workingDirectory, params string[] args)
    {
        var psi = new ProcessStartInfo("git")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        psi.Environment["GIT_CONFIG_NOSYSTEM"] = "1";
        psi.Environment["GIT_CONFIG_GLOBAL"] = "/dev/null";
        psi.Environment["GIT_AUTHOR_NAME"] = "Test Author";
        psi.Environment["GIT_AUTHOR_EMAIL"] = "author@example.org";
        psi.Environment["GIT_COMMITTER_NAME"] = "Test Author";
        psi.Environment["GIT_COMMITTER_EMAIL"] = "author@example.org";
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0)
        {
            throw new InvalidOperationException($"git {string.Join(' ', args)} exited {p.ExitCode}: {stderr}");
        }
        return stdout.Result.Trim();
    }
}
