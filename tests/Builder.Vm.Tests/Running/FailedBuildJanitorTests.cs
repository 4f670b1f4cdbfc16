using Builder.Tests.Common;
using Builder.Vm.Running;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Builder.Vm.Tests.Running;

public sealed class FailedBuildJanitorTests : IDisposable
{
    private readonly string _work = TestEnvironment.NewTempDirectory("janitor");
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 23, 9, 0, 0, TimeSpan.Zero));

    public void Dispose() => Directory.Delete(_work, recursive: true);

    private string FailedBuild(string name, TimeSpan age)
    {
        var dir = Path.Combine(_work, name);
        Directory.CreateDirectory(dir);
        foreach (var file in new[] { "overlay.qcow2", "output.img", "job.tar", "console.log" })
        {
            File.WriteAllText(Path.Combine(dir, file), file);
        }
        File.SetLastWriteTimeUtc(Path.Combine(dir, "overlay.qcow2"), _time.GetUtcNow().UtcDateTime - age);
        return dir;
    }

    [Fact]
    public void Disks_of_failed_builds_older_than_KeepFailedFor_are_deleted_and_their_logs_kept()
    {
        var old = FailedBuild("17", TimeSpan.FromDays(4));
        var recent = FailedBuild("18", TimeSpan.FromDays(2));
        var janitor = new FailedBuildJanitor(Options.Create(new VmOptions { WorkDirectory = _work, KeepFailedFor = TimeSpan.FromDays(3) }),
            _time, NullLogger<FailedBuildJanitor>.Instance);

        Assert.Equal(1, janitor.Sweep());

        Assert.Equal(["console.log"], Directory.GetFiles(old).Select(Path.GetFileName));
        Assert.Equal(4, Directory.GetFiles(recent).Length);
        _time.Advance(TimeSpan.FromDays(1.5));
        Assert.Equal(1, janitor.Sweep());
        Assert.Equal(["console.log"], Directory.GetFiles(recent).Select(Path.GetFileName));
    }
}
