using Builder.Tests.Common;

namespace Builder.Sources.Tests.Support;

/// <summary>Small coreutils calls (chmod, stat, realpath) the tests use to look at the file system as the kernel sees it.</summary>
internal static class Tools
{
    public static string Run(string tool, params string[] args) => TestProcess.Check(tool, args);

    public static string RunWithInput(string? input, string tool, params string[] args) => TestProcess.Check(tool, args, stdin: input);
}
