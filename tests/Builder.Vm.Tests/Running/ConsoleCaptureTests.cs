using System.Text;
using Builder.Tests.Common;
using Builder.Vm.Running;

namespace Builder.Vm.Tests.Running;

public sealed class ConsoleCaptureTests : IDisposable
{
    private readonly string _dir = TestEnvironment.NewTempDirectory("console");

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private async Task<(List<string> Lines, string Log, ConsoleCapture Capture)> CaptureAsync(byte[] input, long cap = 1 << 20)
    {
        var lines = new List<string>();
        var log = Path.Combine(_dir, "console.log");
        var capture = new ConsoleCapture(new MemoryStream(input), log, cap, lines.Add, TimeProvider.System);
        await capture.RunAsync(CancellationToken.None);
        return (lines, await File.ReadAllTextAsync(log), capture);
    }

    [Fact]
    public async Task Lines_are_split_control_characters_replaced_and_the_ready_marker_noted()
    {
        var (lines, log, capture) = await CaptureAsync(Encoding.UTF8.GetBytes("boot\r\nbuilder-agent: ready\n\u001b[2Jclear\nlast"));

        Assert.Equal(["boot", "builder-agent: ready", "?[2Jclear", "last"], lines);
        Assert.Equal("boot\nbuilder-agent: ready\n?[2Jclear\nlast\n", log);
        Assert.NotNull(capture.ReadyTimestamp);
    }

    [Fact]
    public async Task An_endless_line_is_broken_into_bounded_pieces_and_the_log_stops_at_its_cap()
    {
        var (lines, log, _) = await CaptureAsync(Encoding.ASCII.GetBytes(new string('x', 100_000)), cap: 10_000);

        Assert.All(lines, l => Assert.True(l.Length <= ConsoleCapture.DefaultMaxLine));
        Assert.Equal(100_000, lines.Sum(l => l.Length));
        Assert.True(log.Length < 10_000 + 200, $"log is {log.Length} bytes");
        Assert.EndsWith("] builder: console log cap of 10000 bytes (Vm:MaxConsoleLog) reached; further lines are dropped from this file\n", log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Lines_are_broken_at_the_length_the_job_names_in_console_log_and_for_the_build_log_alike()
    {
        var log = Path.Combine(_dir, "console.log");
        var lines = new List<string>();
        var capture = new ConsoleCapture(new MemoryStream(Encoding.ASCII.GetBytes(new string('y', 2500) + "\nshort\n")), log, 1 << 20, lines.Add,
            TimeProvider.System, maxLine: 1000);

        await capture.RunAsync(CancellationToken.None);

        Assert.Equal([1000, 1000, 500, 5], lines.Select(l => l.Length));
        Assert.Equal(lines, await File.ReadAllLinesAsync(log));
    }

    [Fact]
    public async Task Bidi_overrides_and_escapes_are_replaced_and_the_ready_marker_is_read_from_the_raw_console()
    {
        var (lines, _, capture) = await CaptureAsync(Encoding.UTF8.GetBytes("builder-agent: ready\r\nbidi \u202Eevil\u202C end\n\u001b]0;title\u0007x\n"));

        Assert.Equal(["builder-agent: ready", "bidi ?evil? end", "?]0;title?x"], lines);
        Assert.NotNull(capture.ReadyTimestamp);
    }
}
