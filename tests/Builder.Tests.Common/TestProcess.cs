using System.Diagnostics;
using Xunit;

namespace Builder.Tests.Common;

/// <summary>Runs a real program for a test (git, gpg, dpkg-source, ssh-keygen …) with an argument list.</summary>
public static class TestProcess
{
    public sealed record Result(int ExitCode, string Output, string Error);

    public static Result Run(string file, IEnumerable<string> args, string? workingDirectory = null,
        IReadOnlyDictionary<string, string>? environment = null, string? stdin = null)
    {
        var psi = new ProcessStartInfo(file)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }
        foreach (var (k, v) in environment ?? new Dictionary<string, string>())
        {
            psi.Environment[k] = v;
        }
        using var p = Process.Start(psi)!;
        var output = p.StandardOutput.ReadToEndAsync();
        var error = p.StandardError.ReadToEndAsync();
        if (stdin is not null)
        {
            p.StandardInput.Write(stdin);
        }
        p.StandardInput.Close();
        p.WaitForExit();
        return new Result(p.ExitCode, output.Result, error.Result);
    }

    /// <summary>Runs and asserts success; returns trimmed stdout.</summary>
    public static string Check(string file, IEnumerable<string> args, string? workingDirectory = null,
        IReadOnlyDictionary<string, string>? environment = null, string? stdin = null)
    {
        var list = args.ToList();
        var r = Run(file, list, workingDirectory, environment, stdin);
        Assert.True(r.ExitCode == 0, $"{file} {string.Join(' ', list)} exited {r.ExitCode}: {r.Error}{r.Output}");
        return r.Output.Trim();
    }
}
