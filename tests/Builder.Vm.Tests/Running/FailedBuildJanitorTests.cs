using Builder.Tests.Common;
using Builder.Vm.Running;
using Microsoft.Extensions.Logging.Abstractions;

namespace Builder.Vm.Tests.Running;

public sealed class FailedBuildJanitorTests : IDisposable
{
    private readonly string _work = TestEnvironment.NewTempDirectory("janitor");

    public void Dispose() => Directory.Delete(_work, recursive: true);

    [Fact]
    public void The_disks_of_a_failed_run_are_deleted_and_its_console_log_and_artifacts_kept()
    {
        var dir = Path.Combine(_work, "17.1");
        Directory.CreateDirectory(Path.Combine(dir, "artifacts"));
        foreach (var file in new[] { "overlay.qcow2", "output.img", "job.tar", "console.log", "artifacts/hello_1.0_amd64.deb" })
        {
            File.WriteAllText(Path.Combine(dir, file), file);
        }
        var janitor = new FailedBuildJanitor(NullLogger<FailedBuildJanitor>.Instance);

        Assert.True(janitor.DeleteDisks(dir));

        Assert.Equal(["console.log"], Directory.GetFiles(dir).Select(Path.GetFileName));
        Assert.True(File.Exists(Path.Combine(dir, "artifacts", "hello_1.0_amd64.deb")));
        Assert.False(janitor.DeleteDisks(dir));
    }

    [Fact]
    public void A_symlink_named_like_a_disk_is_left_alone_with_its_target()
    {
        var dir = Path.Combine(_work, "18.1");
        Directory.CreateDirectory(dir);
        var target = Path.Combine(_work, "precious");
        File.WriteAllText(target, "not a disk");
        File.CreateSymbolicLink(Path.Combine(dir, "overlay.qcow2"), target);

        Assert.False(new FailedBuildJanitor(NullLogger<FailedBuildJanitor>.Instance).DeleteDisks(dir));

        Assert.True(File.Exists(target));
        Assert.NotNull(new FileInfo(Path.Combine(dir, "overlay.qcow2")).LinkTarget);
    }
}
