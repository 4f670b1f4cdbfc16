using Builder.Core.Processes;
using Builder.Tests.Common;
using Builder.Vm.Images;
using Builder.Vm.Qemu;

namespace Builder.Vm.Tests.Qemu;

public sealed class QemuCommandLineTests : IDisposable
{
    private readonly string _dir = TestEnvironment.NewTempDirectory("qemu-args");
    private readonly VmImage _image;

    public QemuCommandLineTests() => _image = ImageFiles.Create(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static readonly ProcessPrivileges Unprivileged = new(0, 0, 0, 0, 0, false, 1000, 1000);

    private QemuLaunch Launch(int? gatewayPort = null, uint? uid = null, string dir = "/srv/vm/7", ProcessPrivileges? daemon = null) =>
        new(_image, $"{dir}/overlay.qcow2", $"{dir}/job.tar", $"{dir}/output.img", UseKvm: false, gatewayPort, uid, daemon ?? Unprivileged);

    private static string After(IReadOnlyList<string> args, string option) => args[args.ToList().IndexOf(option) + 1];

    [Fact]
    public void Without_a_gateway_the_VM_has_no_network_device_and_may_not_spawn_processes()
    {
        var (_, args) = QemuCommandLine.Build(Launch(), new VmOptions());

        Assert.DoesNotContain("-netdev", args);
        Assert.DoesNotContain("-nic", args);
        Assert.Equal("on,obsolete=deny,elevateprivileges=deny,spawn=deny,resourcecontrol=deny", After(args, "-sandbox"));
        Assert.Contains("-nodefaults", args);
        Assert.Contains("-no-user-config", args);
        Assert.Equal("none", After(args, "-display"));
    }

    [Fact]
    public void With_a_gateway_the_only_route_out_is_one_connector_per_connection_to_that_loopback_port()
    {
        var (_, args) = QemuCommandLine.Build(Launch(gatewayPort: 41234), new VmOptions());

        Assert.Equal(
            "user,id=net0,restrict=on,ipv6=off,guestfwd=tcp:10.0.2.100:3632-cmd:/usr/bin/socat -t 900 STDIO,,shut-down TCP:127.0.0.1:41234",
            After(args, "-netdev"));
        Assert.Equal("on,obsolete=deny,elevateprivileges=allow,spawn=allow,resourcecontrol=deny", After(args, "-sandbox"));
    }

    [Fact]
    public void The_job_disk_is_read_only_and_disks_attach_in_the_agents_order()
    {
        var (_, args) = QemuCommandLine.Build(Launch(), new VmOptions());

        var drives = args.Select((a, i) => (a, i)).Where(x => x.a == "-drive").Select(x => args[x.i + 1]).ToArray();
        Assert.Equal(
            ["file=/srv/vm/7/overlay.qcow2,format=qcow2,if=virtio", "file=/srv/vm/7/job.tar,format=raw,if=virtio,readonly=on", "file=/srv/vm/7/output.img,format=raw,if=virtio"],
            drives);
    }

    [Fact]
    public void Commas_in_paths_are_escaped_for_qemus_option_parser()
    {
        var (_, args) = QemuCommandLine.Build(Launch(dir: "/srv/a,b"), new VmOptions());

        Assert.Contains("file=/srv/a,,b/overlay.qcow2,format=qcow2,if=virtio", args);
    }

    [Fact]
    public void With_a_build_uid_qemu_is_started_through_setpriv_as_that_uid_with_every_capability_set_empty()
    {
        var (fileName, args) = QemuCommandLine.Build(Launch(uid: 2000007), new VmOptions { QemuPath = "/usr/bin/qemu-system-x86_64" });

        Assert.Equal("setpriv", fileName);
        Assert.Equal(["--pdeathsig=KILL", "--reuid=2000007", "--regid=2000007", "--clear-groups", "--inh-caps=-all", "--ambient-caps=-all",
            "--bounding-set=-all", "--no-new-privs", "--", "/usr/bin/qemu-system-x86_64"], args.Take(10));
    }

    [Fact]
    public void Without_a_build_uid_qemu_runs_as_the_daemons_user_and_gets_only_the_parent_death_signal_when_there_is_nothing_to_drop()
    {
        var (fileName, args) = QemuCommandLine.Build(Launch(), new VmOptions { QemuPath = "/usr/bin/qemu-system-x86_64" });

        Assert.Equal("setpriv", fileName);
        Assert.Equal(["--pdeathsig=KILL", "--", "/usr/bin/qemu-system-x86_64"], args.Take(3));
    }

    [Fact]
    public void Without_a_build_uid_a_privileged_daemons_qemu_still_drops_every_capability()
    {
        var root = new ProcessPrivileges(0, 0x1ff_ffff_ffff, 0x1ff_ffff_ffff, 0x1ff_ffff_ffff, 0, false, 0, 0);

        var (_, args) = QemuCommandLine.Build(Launch(daemon: root), new VmOptions { QemuPath = "/usr/bin/qemu-system-x86_64" });

        Assert.Equal(["--pdeathsig=KILL", "--inh-caps=-all", "--ambient-caps=-all", "--bounding-set=-all", "--no-new-privs", "--",
            "/usr/bin/qemu-system-x86_64"], args.Take(7));
    }

    [Fact]
    public void Qemu_has_no_QMP_socket_since_the_daemon_stops_it_with_signals()
    {
        var (_, args) = QemuCommandLine.Build(Launch(uid: 2000007), new VmOptions());

        Assert.DoesNotContain("-qmp", args);
        Assert.DoesNotContain(args, a => a.Contains("qmp", StringComparison.Ordinal));
    }

    [Fact]
    public void Memory_cpus_and_the_kernel_command_line_come_from_options_and_image()
    {
        var (_, args) = QemuCommandLine.Build(Launch(), new VmOptions { Memory = 3072, Cpus = 3 });

        Assert.Equal("3072", After(args, "-m"));
        Assert.Equal("3", After(args, "-smp"));
        Assert.Equal("tcg,thread=multi", After(args, "-accel"));
        Assert.Equal("console=ttyS0 root=/dev/vda rw init=/usr/local/sbin/builder-agent panic=-1 no_timer_check quiet", After(args, "-append"));
    }
}
