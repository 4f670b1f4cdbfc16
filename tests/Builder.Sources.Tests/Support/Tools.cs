using System.Diagnostics;

namespace Builder.Sources.Tests.Support;

/// <summary>Small coreutils calls (chmod, stat, realpath) the tests use to look at the file system as the kernel sees it.</summary>
internal static class Tools
{
    public static string Run(string tool, params string[] args) => RunWithInput(null, tool, args);

    public static string RunWithInput(string? input, string tool, params string[] args)
    {
        var psi = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }
        using var p = Process.Start(psi)!;
        p.StandardInput.Write(input ?? "");
        p.StandardInput.Close();
        var output = p.StandardOutput.ReadToEndAsync();
        var error = p.StandardError.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0)
        {
            throw new InvalidOperationException($"{tool} {string.Join(' ', args)} exited {p.ExitCode}: {error}");
        }
        return output.Result.Trim();
    }
}
