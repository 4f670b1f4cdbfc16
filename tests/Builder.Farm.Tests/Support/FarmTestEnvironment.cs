using Builder.Tests.Common;

namespace Builder.Farm.Tests.Support;

/// <summary>The distccd farm hosts ops/test starts (ops/test.d/30-distccd.sh).</summary>
internal static class FarmTestEnvironment
{
    public const string Distccd = "BUILDER_TEST_DISTCCD";
    public const string DistccdLogs = "BUILDER_TEST_DISTCCD_LOGS";
    public const string FarmCc = "BUILDER_TEST_FARM_CC_PATH";

    /// <summary>The directory of compiler-named symlinks to ops/farm/builder-farm-cc that distccd's PATH starts with.</summary>
    public static string FarmCcPath() => TestEnvironment.Require(FarmCc);

    /// <summary>The two hosts as <c>host:port/slots</c>.</summary>
    public static IReadOnlyList<string> Hosts() =>
        [.. TestEnvironment.Require(Distccd).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(h => h + "/2")];

    /// <summary>farm1.log, farm2.log in host order.</summary>
    public static IReadOnlyList<string> Logs()
    {
        var dir = TestEnvironment.Require(DistccdLogs);
        return [Path.Combine(dir, "farm1.log"), Path.Combine(dir, "farm2.log")];
    }

    /// <summary>A scratch directory the distccd user can read (its parent is BUILDER_TEST_WORK, mode 755).</summary>
    public static string NewDirectory(string prefix)
    {
        var dir = TestEnvironment.NewTempDirectory(prefix);
        if (!OperatingSystem.IsWindows())
        {
            // distccd runs as its own user and writes its log here.
            File.SetUnixFileMode(dir, (UnixFileMode)0b111_111_111);
        }
        return dir;
    }
}
