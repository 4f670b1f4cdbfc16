using System.Globalization;
using System.Net;
using Builder.Core.Processes;
using Builder.Vm.Images;
using Builder.Vm.Isolation;
using Builder.Vm.Jobs;
using Builder.Vm.Output;
using Builder.Vm.Qemu;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Builder.Vm.Running;

/// <summary>
/// Runs builds in disposable qemu VMs: per build a directory with a qcow2 overlay over the read-only base image,
/// a read-only job disk and a fixed-size output disk; qemu under the build's own uid from Vm:UidRange, with no
/// capability, under seccomp; a wall-clock timeout and cancellation that kill the VM (SIGTERM, then SIGKILL); strict
/// extraction of the output.
/// </summary>
internal sealed partial class VmRunner : IVmRunner, IDisposable
{
    public const string OverlayFile = "overlay.qcow2";
    public const string JobDiskFile = "job.tar";
    public const string OutputDiskFile = "output.img";
    public const string ConsoleLogFile = "console.log";
    public const string ArtifactsDirectory = "artifacts";
    private const int MaxStderr = 16 << 10;

    // What qemu needs to find in its directory, and all the daemon expects back; the artifacts come later.
    private static readonly HashSet<string> RunFiles = new(StringComparer.Ordinal) { OverlayFile, JobDiskFile, OutputDiskFile, ConsoleLogFile };
    private static readonly int[] IsolationCapabilities =
        [ProcessPrivileges.CapSetUid, ProcessPrivileges.CapSetGid, ProcessPrivileges.CapChown, ProcessPrivileges.CapKill, ProcessPrivileges.CapSetPcap];

    private readonly IOptions<VmOptions> _options;
    private readonly TimeProvider _time;
    private readonly ILogger<VmRunner> _logger;
    private readonly SemaphoreSlim _slots;
    private readonly BuildUidAllocator? _uids;

    public VmRunner(IOptions<VmOptions> options, TimeProvider time, ILogger<VmRunner> logger)
    {
        _options = options;
        _time = time;
        _logger = logger;
        _slots = new SemaphoreSlim(options.Value.Slots, options.Value.Slots);
        if (options.Value.UidRange.Length > 0)
        {
            var range = UidRange.Parse(options.Value.UidRange, out var error) ?? throw new InvalidOperationException(error);
            _uids = new BuildUidAllocator(range, options.Value.UidLockDirectory);
        }
    }

    public async Task<VmRunResult> RunAsync(VmJob job, CancellationToken cancellationToken)
    {
        var options = _options.Value;
        var directory = job.WorkDirectory ?? Path.Combine(options.WorkDirectory, job.BuildId.ToString(CultureInfo.InvariantCulture));
        try
        {
            await _slots.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            return new VmRunResult
            {
                Outcome = VmOutcome.Cancelled, Directory = directory, LogPath = Path.Combine(directory, ConsoleLogFile),
                Reason = "the build was cancelled while it waited for a VM slot",
            };
        }
        try
        {
            return await RunInSlotAsync(job, options, directory, cancellationToken);
        }
        finally
        {
            _slots.Release();
        }
    }

    public void Dispose() => _slots.Dispose();

    private async Task<VmRunResult> RunInSlotAsync(VmJob job, VmOptions options, string directory, CancellationToken cancellationToken)
    {
        var started = _time.GetTimestamp();
        Directory.CreateDirectory(directory);
        if (Directory.EnumerateFileSystemEntries(directory).Any())
        {
            throw new InvalidOperationException($"{directory} is not empty: each VM run needs a fresh directory");
        }
        var paths = new RunPaths(directory);
        var daemon = ProcessPrivileges.Current;
        CheckIsolation(daemon);
        if (_uids is not null)
        {
            AllowSearch(Path.GetDirectoryName(Path.GetFullPath(directory))!);
        }
        var image = VmImage.Load(options.ImageDirectory);
        var gatewayPort = CheckGateway(job.Gateway);
        JobDisk.Write(job, paths.JobDisk);
        // The daemon keeps this descriptor and reads the guest's output through it: whatever an escaped guest does to
        // the name output.img (a link to another build's disk, say), the daemon reads the file it made.
        using var output = new FileStream(paths.OutputDisk, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.ReadWrite);
        output.SetLength(options.OutputSize);
        if (options.OverlaySize < image.Root.Size)
        {
            throw new InvalidOperationException($"Vm:OverlaySize ({options.OverlaySize}) is smaller than the base image ({image.Root.Size} bytes)");
        }
        // The overlay's virtual size bounds what the guest can write to the host's disk; the base stays read-only.
        await ProcessRunner.RunCheckedAsync(new ProcessCommand(options.QemuImgPath,
            ["create", "-q", "-f", "qcow2", "-F", "raw", "-b", image.Root.Path, paths.Overlay, options.OverlaySize.ToString(CultureInfo.InvariantCulture)]),
            cancellationToken);
        File.WriteAllBytes(paths.ConsoleLog, []);
        var useKvm = ChooseAccelerator(options.Accelerator);
        using var lease = _uids?.Acquire();
        Log.Starting(_logger, job.BuildId, useKvm ? "kvm" : "tcg",
            lease is null ? "the daemon's user (Vm:UidRange empty)" : $"uid {lease.Uid.ToString(CultureInfo.InvariantCulture)}", gatewayPort);
        var launch = new QemuLaunch(image, paths.Overlay, paths.JobDisk, paths.OutputDisk, useKvm, gatewayPort, lease?.Uid, daemon);
        QemuRun run;
        IReadOnlyList<string> tampered = [];
        try
        {
            if (lease is not null)
            {
                // Nothing may be left running under the uid from an earlier holder (an escaped guest's fork outlives qemu).
                await BuildUidProcesses.KillAllAsync(lease.Uid);
                VmDirectoryOwnership.HandOver(directory,
                    [(paths.Overlay, VmDirectoryOwnership.WritableDisk), (paths.OutputDisk, VmDirectoryOwnership.WritableDisk),
                     (paths.JobDisk, VmDirectoryOwnership.ReadOnlyDisk)],
                    lease.Uid, daemon.Gid);
            }
            run = await RunQemuAsync(launch, options, job, paths, cancellationToken);
        }
        finally
        {
            // Also after a hand-over cut short: the directory never stays the uid's once the lease goes.
            if (lease is not null)
            {
                await BuildUidProcesses.KillAllAsync(lease.Uid);
                tampered = VmDirectoryOwnership.Reclaim(directory, RunFiles, daemon.Uid, daemon.Gid);
            }
        }

        var result = (tampered.Count > 0 ? Tampered(job, paths, tampered) : Conclude(run, job, options, paths, output)) with
        {
            BootTime = run.ReadyTimestamp is { } ready ? _time.GetElapsedTime(run.StartTimestamp, ready) : null,
            TotalTime = _time.GetElapsedTime(started),
            ImageManifestSha256 = image.ManifestSha256,
            Accelerator = useKvm ? "kvm" : "tcg",
        };
        CleanUp(result, paths);
        Log.Finished(_logger, job.BuildId, result.Outcome, result.TotalTime.TotalSeconds, result.Reason);
        return result;
    }

    // Per-build uids need the daemon's capabilities; without them every build would fail later and less clearly.
    private void CheckIsolation(ProcessPrivileges daemon)
    {
        if (_uids is not null && IsolationProblem(_uids.Range, daemon) is { } problem)
        {
            throw new InvalidOperationException(problem);
        }
    }

    /// <summary>Why a daemon with <paramref name="daemon"/>'s privileges cannot run VMs under <paramref name="range"/>'s uids; null if it can.</summary>
    internal static string? IsolationProblem(UidRange range, ProcessPrivileges daemon)
    {
        var missing = IsolationCapabilities.Where(c => !daemon.HasEffective(c)).Select(CapabilityName).ToList();
        if (missing.Count > 0)
        {
            return $"Vm:UidRange is {range} but builderd lacks {string.Join(", ", missing)}: run it as ops/systemd/builderd.service does "
                + "(AmbientCapabilities), or set Vm:UidRange to \"\" (insecure: qemu then runs as the daemon's own user, see SECURITY.md)";
        }
        return range.Contains(daemon.Uid) || range.Contains(daemon.Gid)
            ? $"Vm:UidRange {range} contains builderd's own uid {daemon.Uid} or gid {daemon.Gid}"
            : null;
    }

    // qemu opens its disks by path as the build uid, which is "other" to every directory above the run's own: the
    // work directory must let others pass (search, not list; the unit's UMask=0027 would create it 0750).
    private static void AllowSearch(string workDirectory)
    {
        var mode = File.GetUnixFileMode(workDirectory);
        if ((mode & UnixFileMode.OtherExecute) == 0)
        {
            try
            {
                File.SetUnixFileMode(workDirectory, mode | UnixFileMode.OtherExecute);
            }
            catch (UnauthorizedAccessException e)
            {
                throw new InvalidOperationException($"{workDirectory} must be searchable by the build uids (chmod o+x): {e.Message}", e);
            }
        }
    }

    private static string CapabilityName(int capability) => capability switch
    {
        ProcessPrivileges.CapChown => "CAP_CHOWN",
        ProcessPrivileges.CapKill => "CAP_KILL",
        ProcessPrivileges.CapSetGid => "CAP_SETGID",
        ProcessPrivileges.CapSetUid => "CAP_SETUID",
        ProcessPrivileges.CapSetPcap => "CAP_SETPCAP",
        _ => $"capability {capability}",
    };

    private VmRunResult Tampered(VmJob job, RunPaths paths, IReadOnlyList<string> entries)
    {
        var list = string.Join(", ", entries);
        Log.Tampered(_logger, job.BuildId, list);
        return new VmRunResult
        {
            Outcome = VmOutcome.Crashed, Directory = paths.Directory, LogPath = paths.ConsoleLog,
            Reason = $"the VM directory was changed from outside the VM (by its uid: an escaped guest?): {list}; its output is not used",
        };
    }

    private static int? CheckGateway(IPEndPoint? gateway)
    {
        if (gateway is null)
        {
            return null;
        }
        // The connector runs on the host: the one endpoint the guest may reach must be the build's loopback gateway.
        if (!IPAddress.IsLoopback(gateway.Address) || gateway.AddressFamily != System.Net.Sockets.AddressFamily.InterNetwork)
        {
            throw new ArgumentException($"the gateway must be an IPv4 loopback endpoint, was {gateway}");
        }
        return gateway.Port;
    }

    private bool ChooseAccelerator(VmAccelerator accelerator)
    {
        var usable = accelerator != VmAccelerator.Tcg && KvmProbe.IsUsable();
        if (accelerator == VmAccelerator.Kvm && !usable)
        {
            throw new InvalidOperationException("Vm:Accelerator is kvm but /dev/kvm is not usable here (no VT-x/AMD-V, or no access)");
        }
        if (accelerator == VmAccelerator.Auto && !usable)
        {
            Log.NoKvm(_logger);
        }
        return usable;
    }

    private VmRunResult Conclude(QemuRun run, VmJob job, VmOptions options, RunPaths paths, FileStream disk)
    {
        var result = new VmRunResult { Outcome = VmOutcome.Crashed, Directory = paths.Directory, LogPath = paths.ConsoleLog };
        if (run.KilledFor is { } killed)
        {
            return result with
            {
                Outcome = killed,
                Reason = killed == VmOutcome.Timeout
                    ? $"the VM did not finish within Vm:Timeout ({options.Timeout}) and was killed"
                    : "the build was cancelled; the VM was killed",
            };
        }
        if (run.ExitCode != 0)
        {
            return result with { Reason = $"qemu exited with status {run.ExitCode}: {run.Stderr.Trim()}" };
        }
        ExtractedOutput output;
        try
        {
            disk.Position = 0;
            output = OutputExtractor.Extract(disk, paths.Artifacts, OutputLimits.From(options));
        }
        catch (OutputRejectedException e)
        {
            if (e.Limit is { } limit)
            {
                Log.OutputLimitHit(_logger, job.BuildId, limit, e.Message);
            }
            Log.Rejected(_logger, job.BuildId, e.Message);
            return result with { Outcome = VmOutcome.OutputRejected, Reason = e.Message };
        }
        if (output.ExitStatus is not { } status)
        {
            return result with { Reason = $"the guest stopped without reporting an exit status (last console line: '{run.LastLine}')" };
        }
        if (status != 0)
        {
            return result with
            {
                Outcome = VmOutcome.BuildFailed, ExitStatus = status, Artifacts = output.Artifacts,
                Reason = $"the build failed in the VM (guest exit status {status}); see {paths.ConsoleLog}",
            };
        }
        if (job.Mode == GuestMode.Build && !output.Artifacts.Any(a => a.Name.EndsWith(".changes", StringComparison.Ordinal)))
        {
            return result with { Outcome = VmOutcome.OutputRejected, ExitStatus = status, Reason = "the guest reported success but handed back no .changes" };
        }
        return result with { Outcome = VmOutcome.Succeeded, ExitStatus = 0, Artifacts = output.Artifacts };
    }

    // Success: the disks go at once. Failure: they stay for Vm:KeepFailedFor (the daemon's Cleanup job removes them).
    private void CleanUp(VmRunResult result, RunPaths paths)
    {
        if (result.Outcome != VmOutcome.Succeeded)
        {
            Log.OverlayKept(_logger, paths.Directory, _options.Value.KeepFailedFor);
            return;
        }
        foreach (var file in new[] { paths.Overlay, paths.OutputDisk, paths.JobDisk })
        {
            File.Delete(file);
        }
    }

    internal sealed record RunPaths(string Directory)
    {
        public string Overlay => Path.Combine(Directory, OverlayFile);

        public string JobDisk => Path.Combine(Directory, JobDiskFile);

        public string OutputDisk => Path.Combine(Directory, OutputDiskFile);

        public string ConsoleLog => Path.Combine(Directory, ConsoleLogFile);

        public string Artifacts => Path.Combine(Directory, ArtifactsDirectory);
    }

    private sealed record QemuRun(long StartTimestamp, long? ReadyTimestamp, int ExitCode, VmOutcome? KilledFor, string Stderr, string LastLine);
}
