using System.Globalization;
using System.Text;
using Builder.Core.Processes;
using Builder.EndToEnd.Tests.Support;
using Builder.Tests.Common;
using Builder.Tests.Common.Processes;

namespace Builder.EndToEnd.Tests;

/// <summary>
/// Two builderd processes started exactly as the systemd unit starts builderd (<see cref="UnitPrivilegesHost"/>), one VM
/// slot each, two builds at once. What root inside a VM would hold after a qemu escape, read from /proc while the builds
/// run: qemu and its connectors under a build uid with all five capability sets empty and no_new_privs; every other
/// child of builderd (dpkg-source, apt-get, reprepro, gpg, hooks) with no capability either; the two VMs under different
/// uids, neither able to open the other's files. And none of them gets anything of the daemon's environment (which holds
/// a planted secret, LD_PRELOAD and GCONV_PATH): each gets exactly its documented variables.
/// </summary>
[Collection(PipelineCollection.Name)]
[Trait(Categories.Name, Categories.Integration)]
public sealed class UnitPrivilegesEndToEndTests(UnitPrivilegesHost host) : IClassFixture<UnitPrivilegesHost>
{
    private static readonly Dictionary<string, string> OneSlot = new() { ["Scheduler:Slots"] = "1" };

    [Fact]
    public async Task Under_the_units_privileges_no_child_of_builderd_holds_a_capability_and_each_VM_has_a_uid_that_cannot_open_the_others_files()
    {
        await host.GiveToDaemonUserAsync();
        var daemonUid = UnitPrivilegesHost.Uid(UnitPrivilegesHost.DaemonUser);
        await using var one = await host.StartBuilderAsync("unit-one", OneSlot, launcher: UnitPrivilegesHost.UnitLauncher, environment: host.UnitEnvironment);
        await using var two = await host.StartBuilderAsync("unit-two", OneSlot, launcher: UnitPrivilegesHost.UnitLauncher, environment: host.UnitEnvironment);

        // The daemons themselves hold what the unit gives them, no more.
        foreach (var daemon in new[] { one, two })
        {
            var p = ProcessPrivileges.Read($"/proc/{daemon.Pid.ToString(CultureInfo.InvariantCulture)}/status");
            Assert.Equal(new ProcessPrivileges(UnitPrivilegesHost.UnitMask, UnitPrivilegesHost.UnitMask, UnitPrivilegesHost.UnitMask,
                UnitPrivilegesHost.UnitMask, UnitPrivilegesHost.UnitMask, true, daemonUid, p.Gid), p);
        }

        var ids = new[] { await host.SubmitAsync("unit-a"), await host.SubmitAsync("unit-b") };

        // Sample qemu while the builds run, until both VMs have been seen running at the same time.
        var qemus = new Dictionary<int, (string Status, string Directory)>();
        var qemuEnvironments = new Dictionary<int, IReadOnlyDictionary<string, string>>();
        var deadline = DateTime.UtcNow.AddMinutes(15);
        (int A, int B)? both = null;
        var samples = 0;
        while (both is null)
        {
            var running = RunningQemu(host.VmDirectory);
            foreach (var (pid, status, dir) in running)
            {
                if (qemus.TryAdd(pid, (status, dir)))
                {
                    qemuEnvironments[pid] = UnitPrivilegesHost.ParseEnviron(File.ReadAllBytes($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/environ"));
                }
            }
            if (running.Count == 2)
            {
                both = (running[0].Pid, running[1].Pid);
                await AssertIsolatedAsync(running[0], running[1], daemonUid);
            }
            Assert.True(DateTime.UtcNow < deadline,
                $"the two VMs were never seen running at once (seen: {string.Join(", ", qemus.Keys)})\n{one.LogTail()}\n{two.LogTail()}");
            if (both is null && ++samples % 50 == 0)
            {
                // A build that ended before both VMs ran means they never will: say why now, not at the deadline.
                foreach (var id in ids)
                {
                    var details = await host.DetailsAsync(id);
                    Assert.False(BuildWaits.IsFinal(BuildWaits.State(details)),
                        $"build {id} ended {BuildWaits.State(details)} before both VMs ran: {details}\n{await host.LogAsync(id)}\n{one.LogTail()}\n{two.LogTail()}");
                }
            }
            await Task.Delay(100);
        }

        var done = await host.WaitForAllAsync(ids, TimeSpan.FromMinutes(20), one, two);
        foreach (var id in ids)
        {
            Assert.True(BuildWaits.State(done[id]) == "succeeded",
                $"build {id} is {BuildWaits.State(done[id])}: {done[id]}\n{await host.LogAsync(id)}\n{one.LogTail(200)}\n{two.LogTail(200)}");
        }

        var range = Builder.Vm.Isolation.UidRange.Parse(UnitPrivilegesHost.UidRange, out _)!.Value;
        foreach (var (pid, (status, dir)) in qemus)
        {
            var p = ProcessPrivileges.Parse(status);
            Assert.True(p.HoldsNone && p.NoNewPrivileges, $"qemu {pid} ({dir}):\n{status}");
            Assert.True(range.Contains(p.Uid) && p.Gid == p.Uid, $"qemu {pid} runs as {p.Uid}:{p.Gid}, not a build uid of {range}");
        }
        Assert.NotEqual(ProcessPrivileges.Parse(qemus[both.Value.A].Status).Uid, ProcessPrivileges.Parse(qemus[both.Value.B].Status).Uid);

        // Every recorder: the connectors (as a build uid), the tools and the hooks (as builder), none with a capability.
        var records = host.Recorded();
        foreach (var (name, status) in records)
        {
            var p = ProcessPrivileges.Parse(status);
            Assert.True(p.HoldsNone && p.NoNewPrivileges, $"{name}:\n{status}");
            Assert.True(name.StartsWith("connector.", StringComparison.Ordinal) ? range.Contains(p.Uid) : p.Uid == daemonUid, $"{name} ran as uid {p.Uid}");
        }
        foreach (var expected in new[] { "connector.", "tool.dpkg-source.", "tool.reprepro.", "hook.pre-build.", "hook.post-build." })
        {
            Assert.True(records.Keys.Any(k => k.StartsWith(expected, StringComparison.Ordinal)),
                $"nothing recorded as {expected}*: {string.Join(' ', records.Keys.Order(StringComparer.Ordinal))}");
        }

        AssertDocumentedEnvironments(host.RecordedEnvironments(), qemuEnvironments);

        // After the VMs, their directories are the daemon's again (no later holder of the uid can touch them).
        foreach (var dir in Directory.GetDirectories(host.VmDirectory))
        {
            Assert.Equal($"{UnitPrivilegesHost.DaemonUser} 750", TestProcess.Check("stat", ["-c", "%U %a", "--", dir]));
        }
    }

    [Fact]
    public async Task Under_the_units_privileges_a_cancel_stops_the_VM_running_under_its_build_uid()
    {
        await host.GiveToDaemonUserAsync();
        await using var daemon = await host.StartBuilderAsync("unit-cancel", OneSlot, launcher: UnitPrivilegesHost.UnitLauncher, environment: host.UnitEnvironment);
        var id = await host.SubmitAsync("unit-c");
        await host.WaitForLogAsync(id, "\nguest| builder-agent: ready\n", TimeSpan.FromMinutes(10));
        var vm = Path.Combine(host.VmDirectory, $"{id.ToString(CultureInfo.InvariantCulture)}.1");
        var qemu = Assert.Single(RunningQemu(host.VmDirectory), q => q.Directory == vm);
        Assert.NotEqual(UnitPrivilegesHost.Uid(UnitPrivilegesHost.DaemonUser), ProcessPrivileges.Parse(qemu.Status).Uid);

        // Signalling a process of another uid takes CAP_KILL: without it the cancel could not stop this qemu.
        var cancel = await new CliUser(host, "alice", host.Alice).RunAsync("cancel", id.ToString(CultureInfo.InvariantCulture));
        Assert.True(cancel.Code == 0, cancel.ToString());

        var build = await host.WaitForEndAsync(id, TimeSpan.FromMinutes(3));
        Assert.True(BuildWaits.State(build) == "cancelled", $"build {id} is {BuildWaits.State(build)}:\n{await host.LogAsync(id)}\n{daemon.LogTail()}");
        await BuildEvidence.AssertNoQemuLeftAsync(vm, "after the cancel");
        Assert.Empty(Builder.Vm.Isolation.BuildUidProcesses.Of(ProcessPrivileges.Parse(qemu.Status).Uid));
        Assert.Equal($"{UnitPrivilegesHost.DaemonUser} 750", TestProcess.Check("stat", ["-c", "%U %a", "--", vm]));
        Assert.DoesNotContain("SIGKILL", daemon.LogTail(200), StringComparison.Ordinal);
    }

    /// <summary>
    /// Each child's environment is exactly the one README's "Child environment" documents; none holds a planted variable
    /// or a BUILDER__ setting of the daemon's.
    /// </summary>
    private static void AssertDocumentedEnvironments(IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> recorded,
        IReadOnlyDictionary<int, IReadOnlyDictionary<string, string>> qemus)
    {
        string[] hook = ["BUILDER_ARTIFACTS_DIR", "BUILDER_BUILD_ID", "BUILDER_COMMIT", "BUILDER_FAILED_STAGE", "BUILDER_LOG", "BUILDER_PACKAGE",
            "BUILDER_POCKET", "BUILDER_REQUESTER", "BUILDER_STATE", "BUILDER_VERSION", "BUILDER_WEB_URL", "HOME", "LANG", "PATH"];
        var documented = new Dictionary<string, string[]>(StringComparer.Ordinal)
        {
            ["tool.dpkg-source."] = ["HOME", "LANG", "LC_ALL", "PATH", "SOURCE_DATE_EPOCH", "TMPDIR"],
            ["tool.apt-get."] = ["APT_CONFIG", "DEBIAN_FRONTEND", "LANG", "PATH"],
            ["tool.reprepro."] = ["GNUPGHOME", "HOME", "LANG", "PATH"],
            ["tool.gpg."] = ["GNUPGHOME", "HOME", "LANG", "PATH"],
            ["hook.pre-build."] = hook,
            ["hook.post-build."] = hook,
            // qemu's own, passed on to the connector it forks per guest connection.
            ["connector."] = ["LANG", "PATH"],
        };
        var all = recorded.Select(r => (r.Key, r.Value)).Concat(qemus.Select(q => ($"qemu.{q.Key.ToString(CultureInfo.InvariantCulture)}", q.Value))).ToList();
        foreach (var (name, env) in all)
        {
            var shown = string.Join(' ', env.Keys.Order(StringComparer.Ordinal));
            Assert.False(env.Keys.Any(k => PlantedEnvironment.Plants.ContainsKey(k) || k.StartsWith("BUILDER__", StringComparison.Ordinal)), $"{name} got the daemon's: {shown}");
            Assert.DoesNotContain("leaked", env.Values);
            var expected = name.StartsWith("qemu.", StringComparison.Ordinal) ? ["LANG", "PATH"] : documented.Single(d => name.StartsWith(d.Key, StringComparison.Ordinal)).Value;
            Assert.True(expected.SequenceEqual(env.Keys.Order(StringComparer.Ordinal)), $"{name} got {shown}, documented: {string.Join(' ', expected)}");
            Assert.Equal(name.StartsWith("hook.", StringComparison.Ordinal) ? Builder.Daemon.Hooks.HookEnvironment.Path : ChildEnvironment.Path, env["PATH"]);
        }
        foreach (var expected in new[] { "tool.dpkg-source.", "tool.reprepro.", "hook.pre-build.", "hook.post-build.", "connector.", "qemu." })
        {
            Assert.True(all.Any(r => r.Item1.StartsWith(expected, StringComparison.Ordinal)), $"no environment recorded as {expected}*: {string.Join(' ', all.Select(r => r.Item1))}");
        }
    }

    /// <summary>While both run: each directory is its VM's uid's (0770, the daemon's group); A's uid opens its own job disk, never B's.</summary>
    private static async Task AssertIsolatedAsync((int Pid, string Status, string Directory) a, (int Pid, string Status, string Directory) b, uint daemonUid)
    {
        var uidA = ProcessPrivileges.Parse(a.Status).Uid.ToString(CultureInfo.InvariantCulture);
        var uidB = ProcessPrivileges.Parse(b.Status).Uid.ToString(CultureInfo.InvariantCulture);
        Assert.NotEqual(uidA, uidB);
        var daemonGid = TestProcess.Check("id", ["-g", "--", daemonUid.ToString(CultureInfo.InvariantCulture)]);
        Assert.Equal($"{uidA}:{daemonGid} 770", TestProcess.Check("stat", ["-c", "%u:%g %a", "--", a.Directory]));
        Assert.Equal($"{uidB}:{daemonGid} 770", TestProcess.Check("stat", ["-c", "%u:%g %a", "--", b.Directory]));
        string[] asA = ["--reuid=" + uidA, "--regid=" + uidA, "--clear-groups", "--"];

        var own = await TestProcess.RunAsync("setpriv", [.. asA, "head", "-c", "512", "--", Path.Combine(a.Directory, "job.tar")]);
        var other = await TestProcess.RunAsync("setpriv", [.. asA, "cat", "--", Path.Combine(b.Directory, "job.tar")]);
        var otherOutput = await TestProcess.RunAsync("setpriv", [.. asA, "cat", "--", Path.Combine(b.Directory, "output.img")]);
        var list = await TestProcess.RunAsync("setpriv", [.. asA, "ls", "--", b.Directory]);

        Assert.True(own.ExitCode == 0, $"uid {uidA} cannot read its own job disk: {own}");
        foreach (var refused in new[] { other, otherOutput, list })
        {
            Assert.True(refused.ExitCode != 0 && refused.Error.Contains("Permission denied", StringComparison.Ordinal),
                $"uid {uidA} was not refused B's directory {b.Directory}: {refused}");
        }
    }

    /// <summary>qemu processes (after setpriv's exec: argv[0] is qemu) whose command line names a directory under <paramref name="vmDirectory"/>.</summary>
    private static List<(int Pid, string Status, string Directory)> RunningQemu(string vmDirectory)
    {
        var found = new List<(int, string, string)>();
        foreach (var pid in BuildEvidence.QemuUnder(vmDirectory))
        {
            try
            {
                var argv = Encoding.UTF8.GetString(File.ReadAllBytes($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/cmdline")).Split('\0');
                if (!argv[0].Contains("qemu-system", StringComparison.Ordinal))
                {
                    continue;
                }
                var overlay = argv.First(x => x.StartsWith("file=", StringComparison.Ordinal) && x.Contains("/overlay.qcow2", StringComparison.Ordinal));
                var dir = Path.GetDirectoryName(overlay["file=".Length..overlay.IndexOf(",format", StringComparison.Ordinal)])!;
                found.Add((pid, File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/status"), dir));
            }
            catch (IOException)
            {
                // Gone while we looked.
            }
        }
        return found;
    }
}
