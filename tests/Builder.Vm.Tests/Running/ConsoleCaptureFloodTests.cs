using Builder.Tests.Common;
using Builder.Vm.Running;

namespace Builder.Vm.Tests.Running;

/// <summary>
/// The flood measures this process's managed heap, so it runs with no other test beside it: in the full run the
/// allocations of parallel test classes counted as the capture's growth (+33 MiB against a 16 MiB bound).
/// </summary>
[Collection(QuietProcessCollection.Name)]
public sealed class ConsoleCaptureFloodTests : IDisposable
{
    private readonly string _dir = TestEnvironment.NewTempDirectory("console-flood");

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task A_gibibyte_of_console_output_leaves_console_log_at_its_cap_counts_the_hit_and_keeps_memory_bounded()
    {
        using var hits = new LimitHitsListener();
        var log = Path.Combine(_dir, "flood.log");
        using var flood = new FloodStream(1L << 30);
        long lines = 0;
        var capture = new ConsoleCapture(flood, log, 1 << 20, _ => lines++, TimeProvider.System);

        await capture.RunAsync(CancellationToken.None);

        var size = new FileInfo(log).Length;
        Assert.True(size is > (1 << 20) - 8192 and < (1 << 20) + 200, $"console.log is {size} bytes, cap {1 << 20}");
        Assert.True(capture.LogCapped);
        Assert.Equal(FloodStream.LinesIn(1L << 30), lines);
        Assert.True(hits.Hits("Vm:MaxConsoleLog") >= 1);
        Assert.True(flood.MaxHeapGrowth < 16 << 20, $"managed heap grew by {flood.MaxHeapGrowth} bytes while 1 GiB went through");
    }
}
