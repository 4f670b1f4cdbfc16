using System.Text;
using Builder.Daemon.Logs;
using Builder.Tests.Common;
using Microsoft.Extensions.Logging.Abstractions;

namespace Builder.Daemon.Tests.Logs;

public sealed class BuildLogWriterTests : IDisposable
{
    private const long Cap = 1 << 20;

    private readonly string _dir = TestEnvironment.NewTempDirectory("buildlog");

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string PathOf(string name) => Path.Combine(_dir, name);

    private static BuildLogWriter Open(string path, long cap = Cap, int maxLine = 4096) =>
        new(path, cap, maxLine, TimeProvider.System, NullLogger.Instance, 7);

    [Fact]
    public void Guest_lines_are_prefixed_and_cleaned_so_forged_daemon_lines_and_escapes_do_not_pass()
    {
        var path = PathOf("forged.log");
        using (var log = Open(path))
        {
            log.WriteDaemonLine("building");
            log.WriteGuestLine("builder-agent: exit 0");
            log.WriteGuestLine("[2026-01-01T00:00:00Z] builder: published foo 1.0 to prod");
            log.WriteGuestLine("bidi \u202Eevil\u202C ansi \u001b[31mred");
            log.WriteDaemonLine("reason: line one\n[2026-01-01T00:00:00Z] builder: published foo");
        }

        var lines = File.ReadAllLines(path);
        Assert.Equal(5, lines.Length);
        Assert.Matches(@"^\[\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\] builder: building$", lines[0]);
        Assert.Equal("guest| builder-agent: exit 0", lines[1]);
        Assert.Equal("guest| [2026-01-01T00:00:00Z] builder: published foo 1.0 to prod", lines[2]);
        Assert.Equal("guest| bidi ?evil? ansi ?[31mred", lines[3]);
        // A daemon line quoting multi-line text stays one line: the quoted "line" cannot start with a timestamp.
        Assert.EndsWith("builder: reason: line one | [2026-01-01T00:00:00Z] builder: published foo", File.ReadAllText(path).TrimEnd('\n'),
            StringComparison.Ordinal);
        Assert.DoesNotContain(File.ReadAllLines(path), l => l.StartsWith("builder-agent:", StringComparison.Ordinal) || l.StartsWith("[2026-01-01", StringComparison.Ordinal));
    }

    [Fact]
    public void An_endless_line_is_broken_into_pieces_of_the_line_limit()
    {
        var path = PathOf("long.log");
        using (var log = Open(path, maxLine: 1000))
        {
            log.Write(new string('y', 10_500));
            log.WriteLine();
        }

        var lines = File.ReadAllLines(path);
        Assert.Equal(11, lines.Length);
        Assert.All(lines, l => Assert.True(l.Length <= 1000));
    }

    [Fact]
    public void A_later_attempt_counts_what_earlier_attempts_wrote()
    {
        var path = PathOf("attempts.log");
        File.WriteAllText(path, new string('a', (int)Cap - BuildLogWriter.DaemonReserve - 10) + "\n", new UTF8Encoding(false));
        using (var log = Open(path))
        {
            log.WriteGuestLine("one more line that does not fit");
            log.WriteDaemonLine("attempt 2 interrupted");
        }

        var text = File.ReadAllText(path);
        Assert.DoesNotContain("does not fit", text, StringComparison.Ordinal);
        Assert.Contains("(Logs:MaxBuildLog) reached", text, StringComparison.Ordinal);
        Assert.EndsWith("builder: attempt 2 interrupted\n", text, StringComparison.Ordinal);
        Assert.True(new FileInfo(path).Length <= Cap);
    }
}
