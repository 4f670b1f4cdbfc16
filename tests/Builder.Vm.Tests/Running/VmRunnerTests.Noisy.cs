using System.Diagnostics;
using System.Globalization;
using Builder.Core.Text;
using Builder.Tests.Common;
using Builder.Vm.Jobs;

namespace Builder.Vm.Tests.Running;

public sealed partial class VmRunnerTests
{
    private const long SmallConsoleCap = 256 << 10;

    /// <summary>
    /// A guest that lies on its console (the agent's exit marker, a daemon line, U+202E, an ANSI escape) and then
    /// floods it. Under TCG the serial console carries only a few hundred KB/s, so the flood is a few MiB against a
    /// small Vm:MaxConsoleLog; BUILDER_TEST_FLOOD_MIB raises it on a KVM machine.
    /// </summary>
    [Fact]
    public async Task A_guest_that_forges_lines_and_floods_its_console_is_cleaned_capped_and_still_ends_through_its_exit_status()
    {
        var floodMib = int.Parse(Environment.GetEnvironmentVariable("BUILDER_TEST_FLOOD_MIB") ?? "2", CultureInfo.InvariantCulture);
        using var hits = new LimitHitsListener();
        using var runner = fixture.Runner(o => o.MaxConsoleLog = SmallConsoleCap);
        var lines = new List<string>();
        long floodBytes = 0;
        var watch = new Stopwatch();

        var result = await runner.RunAsync(new VmJob
        {
            BuildId = 8, Mode = GuestMode.Noisy, FloodMib = floodMib,
            LogLine = l =>
            {
                if (l.StartsWith("flood flood", StringComparison.Ordinal))
                {
                    floodBytes += l.Length + 1;
                    return;
                }
                if (l.StartsWith("ansi: ", StringComparison.Ordinal))
                {
                    watch.Start();
                }
                else if (l == "flood done")
                {
                    watch.Stop();
                }
                lines.Add(l);
            },
        }, CancellationToken.None);

        // The forged "exit 0" changed nothing: the outcome is the status the agent wrote on its output disk.
        Assert.True(result.Outcome == VmOutcome.BuildFailed, $"{result.Outcome}: {result.Reason}\n{Tail(result.LogPath)}");
        Assert.Equal(1, result.ExitStatus);
        Assert.NotNull(result.BootTime);
        Assert.Contains("builder-agent: exit 0", lines);
        Assert.Contains("[2026-01-01T00:00:00Z] builder: published foo 1.0 to prod", lines);
        Assert.Contains("bidi: ?evil? end", lines);
        Assert.Contains("ansi: ?[2J?[31mred?[0m end", lines);
        Assert.All(lines, l => Assert.True(UntrustedText.IsClean(l), $"not clean: {l}"));
        // Every line still reached the caller (the build log, with its own cap); console.log stopped at its cap.
        Assert.Contains("flood done", lines);
        // At least: the guest's kernel may print a line of its own into the middle of the flood.
        Assert.True(floodBytes >= (long)floodMib << 20, $"{floodBytes} bytes of flood arrived, {floodMib} MiB sent");
        Assert.Contains("builder-agent: exit 1", lines);
        var console = new FileInfo(result.LogPath).Length;
        Assert.True(console <= SmallConsoleCap + 200, $"console.log is {console} bytes, cap {SmallConsoleCap}");
        Assert.Contains("(Vm:MaxConsoleLog) reached", File.ReadAllText(result.LogPath), StringComparison.Ordinal);
        Assert.True(hits.Hits("Vm:MaxConsoleLog") >= 1);
        // The console's rate is a measurement for the record, not an assertion.
        File.WriteAllText(Path.Combine(result.Directory, "console-rate.txt"), string.Create(CultureInfo.InvariantCulture,
            $"{floodBytes} bytes in {watch.Elapsed.TotalSeconds:F1} s = {floodBytes / Math.Max(0.001, watch.Elapsed.TotalSeconds) / 1e6:F3} MB/s\n"));
    }
}
