using Builder.Tests.Common;
using Builder.Vm.Isolation;

namespace Builder.Vm.Tests.Isolation;

/// <summary>Real ownership changes (lchown needs CAP_CHOWN: ops/test runs as root).</summary>
[Trait(Categories.Name, Categories.Integration)]
public sealed class VmDirectoryOwnershipTests : IDisposable
{
    private const uint BuildUid = 2000990;
    private static readonly HashSet<string> RunFiles = new(StringComparer.Ordinal) { "overlay.qcow2", "job.tar", "output.img", "console.log" };

    private readonly string _parent = TestEnvironment.NewTempDirectory("vm-owner");
    private readonly string _dir;

    public VmDirectoryOwnershipTests()
    {
        _dir = Path.Combine(_parent, "7.1");
        Directory.CreateDirectory(_dir);
        foreach (var file in RunFiles)
        {
            File.WriteAllText(Path.Combine(_dir, file), file);
        }
    }

    public void Dispose() => Directory.Delete(_parent, recursive: true);

    private static string Stat(string path) => TestProcess.Check("stat", ["-c", "%u:%g %a", "--", path]);

    private void HandOver() => VmDirectoryOwnership.HandOver(_dir,
        [(Path.Combine(_dir, "overlay.qcow2"), VmDirectoryOwnership.WritableDisk), (Path.Combine(_dir, "output.img"), VmDirectoryOwnership.WritableDisk),
         (Path.Combine(_dir, "job.tar"), VmDirectoryOwnership.ReadOnlyDisk)],
        BuildUid, 0);

    private TestProcess.Result AsBuildUid(string command) =>
        TestProcess.Run("setpriv", [$"--reuid={BuildUid}", $"--regid={BuildUid}", "--clear-groups", "--", "/bin/sh", "-c", command], _dir);

    [Fact]
    public void While_the_VM_runs_the_directory_and_disks_are_the_build_uids_with_the_daemons_group_and_afterwards_the_daemons_again()
    {
        HandOver();

        Assert.Equal($"{BuildUid}:0 770", Stat(_dir));
        Assert.Equal($"{BuildUid}:0 660", Stat(Path.Combine(_dir, "overlay.qcow2")));
        Assert.Equal($"{BuildUid}:0 660", Stat(Path.Combine(_dir, "output.img")));
        Assert.Equal($"{BuildUid}:0 440", Stat(Path.Combine(_dir, "job.tar")));
        Assert.StartsWith("0:0 ", Stat(Path.Combine(_dir, "console.log")), StringComparison.Ordinal);
        // Another build uid is neither owner nor in the group: it cannot even enter.
        var other = TestProcess.Run("setpriv", ["--reuid=2000991", "--regid=2000991", "--clear-groups", "--", "cat", "--", Path.Combine(_dir, "job.tar")]);
        Assert.Contains("Permission denied", other.Error, StringComparison.Ordinal);

        var tampered = VmDirectoryOwnership.Reclaim(_dir, RunFiles, 0, 0);

        Assert.Empty(tampered);
        Assert.Equal("0:0 750", Stat(_dir));
        foreach (var file in RunFiles)
        {
            Assert.StartsWith("0:0 ", Stat(Path.Combine(_dir, file)), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void What_the_build_uid_planted_is_reported_and_removed_without_following_a_link()
    {
        var victim = Path.Combine(_parent, "victim");
        Directory.CreateDirectory(victim);
        File.WriteAllText(Path.Combine(victim, "keep"), "keep");
        HandOver();
        // As an escaped guest would: a link where the output disk was, a link the extractor might write through, a
        // private directory of its own, and a hidden file.
        var planted = AsBuildUid($"rm output.img && ln -s {victim}/keep output.img && ln -s {victim} artifacts "
            + "&& mkdir -m 700 stash && echo x > stash/file && chmod 000 stash && echo y > .hidden");
        Assert.True(planted.ExitCode == 0, planted.ToString());

        var tampered = VmDirectoryOwnership.Reclaim(_dir, RunFiles, 0, 0);

        Assert.Equal([".hidden", $"artifacts -> {victim}", $"output.img -> {victim}/keep", "stash"], tampered.Order(StringComparer.Ordinal));
        Assert.Equal(["console.log", "job.tar", "overlay.qcow2"], Directory.GetFileSystemEntries(_dir).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Equal("keep", File.ReadAllText(Path.Combine(victim, "keep")));
        Assert.StartsWith("0:0 ", Stat(victim), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_process_of_a_build_uid_is_killed_forks_included_and_none_of_another()
    {
        const uint other = 2000992;
        string[] sleeper = ["--clear-groups", "--", "/bin/sh", "-c", "sleep 600 & sleep 600 & wait"];
        using var victim = System.Diagnostics.Process.Start("setpriv", [$"--reuid={BuildUid}", $"--regid={BuildUid}", .. sleeper])!;
        using var bystander = System.Diagnostics.Process.Start("setpriv", [$"--reuid={other}", $"--regid={other}", .. sleeper])!;
        try
        {
            var deadline = DateTime.UtcNow.AddSeconds(10);
            while (BuildUidProcesses.Of(BuildUid).Count < 3 || BuildUidProcesses.Of(other).Count < 3)
            {
                Assert.True(DateTime.UtcNow < deadline, "the sleepers did not start");
                await Task.Delay(50);
            }

            await BuildUidProcesses.KillAllAsync(BuildUid);

            Assert.Empty(BuildUidProcesses.Of(BuildUid));
            Assert.Equal(3, BuildUidProcesses.Of(other).Count);
        }
        finally
        {
            await BuildUidProcesses.KillAllAsync(other);
            victim.WaitForExit();
            bystander.WaitForExit();
        }
    }

    [Fact]
    public void The_setpriv_arguments_become_the_uid_with_gid_uid_no_groups_and_no_capability()
    {
        Assert.Equal(["--reuid=2000990", "--regid=2000990", "--clear-groups", "--inh-caps=-all", "--ambient-caps=-all", "--bounding-set=-all", "--no-new-privs"],
            BuildUidProcesses.BecomeArguments(BuildUid));
    }
}
