using Builder.Audit.Notify;
using Builder.Daemon.Logs;
using Builder.Tests.Common;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Builder.Daemon.Tests.Logs;

/// <summary>The notification mail quotes the log's last lines; a log may be Logs:MaxBuildLog long, so only its end is read.</summary>
public sealed class BuildLogTailTests : IDisposable
{
    private readonly string _dir = TestEnvironment.NewTempDirectory("logtail");

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task The_mail_tail_is_read_from_the_end_and_starts_at_a_whole_line()
    {
        var store = new BuildLogStore(Options.Create(new BuildLogOptions { Directory = _dir }), TimeProvider.System, NullLogger<BuildLogStore>.Instance);
        await using (var log = store.OpenAppend(9))
        {
            for (var i = 0; i < 200_000; i++)
            {
                log.WriteGuestLine($"line {i} of a long build, with some padding to make it longer");
            }
            log.WriteDaemonLine("build 9 failed");
        }

        var tail = await store.ReadTailAsync(9, NotificationComposer.MaxTailBytes, CancellationToken.None);

        Assert.True(new FileInfo(store.PathOf(9)).Length > 10 * NotificationComposer.MaxTailBytes);
        Assert.True(tail.Length <= NotificationComposer.MaxTailBytes);
        Assert.StartsWith("guest| line ", tail, StringComparison.Ordinal);
        Assert.EndsWith("builder: build 9 failed\n", tail, StringComparison.Ordinal);
        Assert.Equal(NotificationComposer.TailLines, NotificationComposer.Tail(tail).Count);
        Assert.Equal("", await store.ReadTailAsync(10, NotificationComposer.MaxTailBytes, CancellationToken.None));
    }
}
