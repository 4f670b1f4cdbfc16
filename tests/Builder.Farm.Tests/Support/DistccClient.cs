namespace Builder.Farm.Tests.Support;

/// <summary>Environment for the real distcc client pointed at one gateway listener.</summary>
internal static class DistccClient
{
    /// <param name="lzo">protocol 2 (",lzo" in DISTCC_HOSTS) instead of protocol 1.</param>
    /// <param name="fallback">false: a job the farm did not compile fails instead of compiling locally, so success proves the farm did it.</param>
    public static Dictionary<string, string?> Environment(int port, string stateDir, bool lzo = false, bool fallback = false, int slots = 4)
    {
        Directory.CreateDirectory(stateDir);
        return new Dictionary<string, string?>
        {
            ["DISTCC_HOSTS"] = $"127.0.0.1:{port}/{slots}" + (lzo ? ",lzo" : ""),
            ["DISTCC_DIR"] = stateDir,
            ["DISTCC_FALLBACK"] = fallback ? "1" : "0",
            ["DISTCC_VERBOSE"] = "0",
            // distcc's own default, set so a developer's environment cannot change what the tests see.
            ["DISTCC_BACKOFF_PERIOD"] = "60",
            ["DISTCC_SKIP_LOCAL_RETRY"] = null, // distcc tests only whether it is set
        };
    }
}
