using System.Globalization;
using Builder.Core.Processes;
using Builder.Vm.Isolation;

namespace Builder.Vm.Qemu;

/// <summary>The qemu command line for one build VM, as an argument list (never a shell string).</summary>
internal static class QemuCommandLine
{
    /// <summary>Guest-side address of the gateway; slirp hands each connection to it to a new connector process.</summary>
    public const string GuestGatewayAddress = "10.0.2.100";
    public const int GuestGatewayPort = 3632;

    /// <summary>
    /// qemu's command: <see cref="Build"/>'s program and arguments with <see cref="ProcessCommand"/>'s environment (the
    /// fixed PATH and LANG only), which the connectors it forks inherit. The setpriv in front drops the capabilities
    /// itself, so there is no second wrapper.
    /// </summary>
    public static ProcessCommand Command(QemuLaunch launch, VmOptions options)
    {
        var (fileName, arguments) = Build(launch, options);
        return new ProcessCommand(fileName, arguments) { KeepCapabilities = true };
    }

    public static (string FileName, IReadOnlyList<string> Arguments) Build(QemuLaunch launch, VmOptions options)
    {
        // qemu is always started through setpriv, for its parent-death signal: a daemon killed with SIGKILL takes its
        // VMs with it (the kernel sends qemu SIGKILL), so no VM outlives the daemon and its build's recovery.
        // setpriv sets it after the uid change (a uid change would clear it) and exec keeps it.
        var args = new List<string> { "--pdeathsig=KILL" };
        const string fileName = CapabilityDrop.Setpriv;
        if (launch.BuildUid is { } uid)
        {
            // The build's own uid (gid = uid, no supplementary groups): it owns only this build's directory, so an
            // escaped guest reaches no other build's disks and nothing of the daemon's. Every capability set is emptied
            // (inheritable, ambient, bounding; a non-root exec then leaves permitted and effective empty) and
            // no_new_privs set, so nothing qemu spawns (the connectors) can gain any.
            args.AddRange(BuildUidProcesses.BecomeArguments(uid));
        }
        else
        {
            // Vm:UidRange empty (insecure): qemu stays the daemon's user, but holds none of the daemon's capabilities.
            args.AddRange(CapabilityDrop.Arguments(launch.Daemon));
        }
        args.AddRange(["--", options.QemuPath]);

        var image = launch.Image;
        args.AddRange([
            // No default devices, no config files from /etc/qemu: the VM has exactly what is listed here.
            "-nodefaults", "-no-user-config",
            "-machine", "q35",
            "-accel", launch.UseKvm ? "kvm" : "tcg,thread=multi",
            "-cpu", launch.UseKvm ? "host" : "max",
            "-m", options.Memory.ToString(CultureInfo.InvariantCulture),
            "-smp", options.Cpus.ToString(CultureInfo.InvariantCulture),
            // No display, and qemu exits instead of rebooting (a guest panic ends the run: panic=-1 reboots).
            "-display", "none", "-no-reboot",
            // seccomp: no obsolete syscalls, no resource-control calls. Without a gateway also no set*uid and no
            // fork/exec. With one, slirp's guestfwd cmd: forks a connector per connection, which needs spawn. Measured
            // on qemu 7.2 (again with qemu under its build uid holding no capability at all: seccomp filters syscalls
            // whatever the capabilities): with elevateprivileges=deny,spawn=allow the guest's connection is accepted
            // but no connector runs (the forked child dies before its exec; libslirp's child setup calls setsid(),
            // which is in that filter's set), so the guest's writes fail with EPIPE and 0 of 4 concurrent compiles
            // go through (the probe test, run with it). So it
            // stays allow there, and qemu relies on setpriv above: build uid, all five capability sets empty,
            // no_new_privs, so set*uid cannot elevate.
            "-sandbox", launch.GatewayPort is null
                ? "on,obsolete=deny,elevateprivileges=deny,spawn=deny,resourcecontrol=deny"
                : "on,obsolete=deny,elevateprivileges=allow,spawn=allow,resourcecontrol=deny",
            "-kernel", image.Kernel.Path,
            "-initrd", image.Initrd.Path,
            // no_timer_check: under TCG on a busy host the kernel's early IO-APIC timer check can miss its ticks and
            // panic ("IO-APIC + timer doesn't work!"), failing a good build; the emulated timer is known to work.
            "-append", $"console=ttyS0 root=/dev/vda rw init={image.Init} panic=-1 no_timer_check quiet",
            // Disks in attach order: vda root overlay, vdb job (read-only), vdc output.
            "-drive", $"file={Escape(launch.Overlay)},format=qcow2,if=virtio",
            "-drive", $"file={Escape(launch.JobDisk)},format=raw,if=virtio,readonly=on",
            "-drive", $"file={Escape(launch.OutputDisk)},format=raw,if=virtio",
            // The serial console is qemu's stdout: the host streams it into the build log.
            "-chardev", "stdio,id=console,signal=off", "-serial", "chardev:console",
        ]);
        if (launch.GatewayPort is { } port)
        {
            // restrict=on: the guest reaches nothing (no host ports on 10.0.2.2, no DNS, no outside) except guestfwd.
            // One connector (socat) per guest connection, to the one gateway port on host loopback. STDIO,shut-down:
            // when the gateway closes, socat shuts its side of the guest connection down at once, so a guest reading to
            // EOF gets it (nc -N kept it open, CLOSE-WAIT, until the VM's timeout). The guest's EOF is passed on the
            // same way. -t 900: after one side's EOF, how long the other may still talk (the gateway answers a
            // half-closed request within RequestTimeout + JobTimeout, 5 + 10 minutes by default).
            var connector = Escape($"{options.ConnectorPath} -t 900 STDIO,shut-down TCP:127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}");
            args.AddRange([
                "-netdev", $"user,id=net0,restrict=on,ipv6=off,guestfwd=tcp:{GuestGatewayAddress}:{GuestGatewayPort}-cmd:{connector}",
                "-device", "virtio-net-pci,netdev=net0,romfile=",
            ]);
        }
        // Without a gateway there is no network device at all (-nodefaults adds none).
        return (fileName, args);
    }

    // qemu's option syntax splits on ',' and takes ',,' as a literal comma.
    private static string Escape(string value) => value.Replace(",", ",,", StringComparison.Ordinal);
}
