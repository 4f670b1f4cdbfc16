namespace Builder.Tests.Common.Processes;

/// <summary>
/// Plants in this test process's environment what an attacker or a careless operator would leave in builderd's: a
/// daemon secret (<c>BUILDER__…</c> is how settings arrive), a preload and a gconv path (code the dynamic loader or
/// iconv would run in the child). Restores what was there on dispose. The tests that use it run in a collection of
/// their own with parallelisation off (<c>DisableParallelization</c>), so no other test's tool sees the plants.
/// </summary>
public sealed class PlantedEnvironment : IDisposable
{
    public static readonly IReadOnlyDictionary<string, string> Plants = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["BUILDER__Secret__Test"] = "leaked",
        ["LD_PRELOAD"] = "/nonexistent.so",
        ["GCONV_PATH"] = "/tmp/x",
    };

    private readonly Dictionary<string, string?> _previous = new(StringComparer.Ordinal);

    /// <param name="extra">more variables to set for the test (a PATH with a fake tool first, say).</param>
    public PlantedEnvironment(IReadOnlyDictionary<string, string>? extra = null)
    {
        foreach (var (name, value) in Plants.Concat(extra ?? new Dictionary<string, string>()))
        {
            _previous.TryAdd(name, Environment.GetEnvironmentVariable(name));
            Environment.SetEnvironmentVariable(name, value);
        }
    }

    public void Dispose()
    {
        foreach (var (name, value) in _previous)
        {
            Environment.SetEnvironmentVariable(name, value);
        }
    }
}
