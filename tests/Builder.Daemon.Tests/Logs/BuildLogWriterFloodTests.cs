using Builder.Daemon.Logs;
using Builder.Daemon.Tests.Support;
using Builder.Tests.Common;
using Microsoft.Extensions.Logging.Abstractions;

namespace Builder.Daemon.Tests.Logs;

/// <summary>
/// The flood measures this process's managed heap, so it runs with no other test beside it (parallel test classes'
/// allocations would count as the writer's growth).
/// </summary>
[Collection(QuietProcessCollection.Name)]
public sealed class BuildLogWriterFloodTests : IDisposable
{
    private const long Cap = 1 << 20;

    private readonly string _dir = TestEnvironment.NewTempDirectory("buildlog-flood");

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string PathOf(string name) => Path.Combine(_dir, name);

    private static BuildLogWriter Open(string path) => new(path, Cap, 4096, TimeProvider.System, NullLogger.Instance, 7);

    [Fact]
    public void A_gibibyte_of_guest_output_leaves_the_log_at_its_cap_with_one_cap_line_and_the_daemon_tail_still_written()
    {
        var path = PathOf("flood.log");
        using var hits = new LimitHitsListener();
        var line = new string('x', 4000);
        long maxHeap = 0;
        long pushed = 0;
        using (var log = Open(path))
        {
            log.WriteDaemonLine("building");
            var baseline = GC.GetTotalMemory(forceFullCollection: true);
            for (var i = 0; pushed < 1L << 30; i++)
            {
                log.WriteGuestLine(line);
                pushed += line.Length + 1;
                if (i % 32768 == 0)
                {
                    maxHeap = Math.Max(maxHeap, GC.GetTotalMemory(forceFullCollection: true) - baseline);
                }
            }
            log.WriteDaemonLine("build 7 failed at stage building: the build failed in the VM");
            Assert.True(log.Capped);
        }

        var size = new FileInfo(path).Length;
        Assert.True(size <= Cap, $"log is {size} bytes, cap {Cap}");
        Assert.True(size >= Cap - BuildLogWriter.DaemonReserve - 8192, $"log is {size} bytes: it stopped well before the cap");
        var text = File.ReadAllText(path);
        Assert.Single(text.Split('\n'), l => l.EndsWith($"builder: build log cap of {Cap} bytes (Logs:MaxBuildLog) reached; further lines are dropped", StringComparison.Ordinal));
        Assert.EndsWith("builder: build 7 failed at stage building: the build failed in the VM\n", text, StringComparison.Ordinal);
        Assert.True(hits.Hits("Logs:MaxBuildLog") >= 1);
        Assert.True(maxHeap < 16 << 20, $"managed heap grew by {maxHeap} bytes while 1 GiB went through");
    }
}
