namespace Builder.Vm;

/// <summary>The <c>Vm</c> configuration section: the disposable build VM.</summary>
public sealed class VmOptions
{
    public const string Section = "Vm";

    /// <summary>Directory made by <c>ops/image/build-image</c> (root.img, vmlinuz, initrd.img, image.json).</summary>
    public string ImageDirectory { get; set; } = "";

    /// <summary>Guest memory in MiB.</summary>
    public int Memory { get; set; } = 2048;

    /// <summary>Virtual CPUs.</summary>
    public int Cpus { get; set; } = 2;

    /// <summary>Wall-clock limit for one VM run, boot included; past it the VM is killed and the build fails with "timeout".</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromHours(2);

    /// <summary>
    /// How many VMs this runner starts at once. Not a setting of its own: builderd sets it from <c>Scheduler:Slots</c>,
    /// the one count of this host's build slots (and refuses a configuration that still sets <c>Vm:Slots</c>).
    /// </summary>
    public int Slots { get; set; } = 1;

    /// <summary>Virtual size in bytes of each build's qcow2 overlay (the guest's root disk); bounds the host disk a build can use.</summary>
    public long OverlaySize { get; set; } = 16L << 30;

    /// <summary>Size in bytes of the raw output disk the guest writes its result tar to.</summary>
    public long OutputSize { get; set; } = 1L << 30;

    /// <summary>
    /// How long the VM disks of a failed (or cancelled, or timed-out) build are kept for inspection, counted from the build's
    /// end; then the daemon's Cleanup job deletes them (<see cref="Running.FailedBuildJanitor"/>). 0 = at its first run.
    /// </summary>
    public TimeSpan KeepFailedFor { get; set; } = TimeSpan.FromDays(3);

    /// <summary>Parent of the per-build VM directories (overlay, job and output disks, console log, artifacts).</summary>
    public string WorkDirectory { get; set; } = "/var/lib/builder/vm";

    /// <summary>
    /// The uids ("FIRST-LAST") each build's qemu runs under, one per running VM, gid = uid, no supplementary groups; no
    /// passwd entries are needed, but nothing else on the host may use them. Needs CAP_SETUID, CAP_SETGID, CAP_CHOWN,
    /// CAP_KILL and CAP_SETPCAP (ops/systemd/builderd.service). Empty: qemu runs as the daemon's own user with every
    /// capability dropped — insecure (an escaped guest is the daemon's user, with its keys), for development only.
    /// </summary>
    public string UidRange { get; set; } = "2000000-2000999";

    /// <summary>
    /// Where the per-uid lock files live that keep a build uid to one VM across every builderd on this host; all of
    /// them must use the same directory for the same range.
    /// </summary>
    public string UidLockDirectory { get; set; } = "/run/builder/vm-uids";

    /// <summary>No longer used (qemu ran as this one user for every build); replaced by <see cref="UidRange"/>. Must be empty.</summary>
    public string RunAs { get; set; } = "";

    /// <summary>auto (KVM when usable, else TCG), kvm or tcg.</summary>
    public VmAccelerator Accelerator { get; set; } = VmAccelerator.Auto;

    /// <summary>The qemu system emulator.</summary>
    public string QemuPath { get; set; } = "qemu-system-x86_64";

    /// <summary>qemu-img, which creates the overlays.</summary>
    public string QemuImgPath { get; set; } = "qemu-img";

    /// <summary>
    /// Per-connection forwarder qemu starts for each guest connection to the gateway: socat (Debian's socat), run as
    /// <c>socat -t 900 STDIO,shut-down TCP:127.0.0.1:PORT</c>. It passes either side's EOF on at once, so a connection
    /// the gateway closed reaches the guest as closed, and an idle guest connection does not hold a farm slot forever.
    /// </summary>
    public string ConnectorPath { get; set; } = "/usr/bin/socat";

    /// <summary>Largest single file accepted from the output disk, in bytes.</summary>
    public long MaxArtifactSize { get; set; } = 512L << 20;

    /// <summary>Largest total of all files accepted from the output disk, in bytes.</summary>
    public long MaxOutputTotal { get; set; } = 1L << 30;

    /// <summary>Most entries accepted in the output tar.</summary>
    public int MaxArtifacts { get; set; } = 256;

    /// <summary>
    /// Most bytes of tar metadata accepted in the output tar: PAX extended and global headers and GNU long names and
    /// links together, counted as the tar blocks they take (the 512-byte header and its data rounded up to 512), before
    /// any of it is read. Ordinary output (GNU long names for a few long file names) needs a few KiB.
    /// </summary>
    public long MaxTarMetadata { get; set; } = 64L << 10;

    /// <summary>Most bytes of serial console kept in the build log; the rest is dropped with a note.</summary>
    public long MaxConsoleLog { get; set; } = 64L << 20;

    /// <summary>How long a killed qemu gets to exit after SIGTERM before it is killed with SIGKILL.</summary>
    public TimeSpan KillGrace { get; set; } = TimeSpan.FromSeconds(10);
}
