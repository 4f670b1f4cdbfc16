using System.Globalization;
using System.Net;
using Builder.Core.Processes;
using Builder.Vm.Images;
using Builder.Vm.Jobs;
using Builder.Vm.Output;
using Builder.Vm.Qemu;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Builder.Vm.Running;

/// <summary>
/// Runs builds in disposable qemu VMs: per build a directory with a qcow2 overlay over the read-only base image,
/// a read-only job disk and a fixed-size output disk; qemu as an unprivileged user under seccomp; a wall-clock
/// timeout and cancellation that kill the VM (through QMP, then SIGKILL); strict extraction of the output.
/// </summary>
internal sealed partial class VmRunner : IVmRunner, IDisposable
{
    public const string OverlayFile = "overlay.qcow2";
    public const string JobDiskFile = "job.tar";
    public const string OutputDiskFile = "output.img";
    public const string ConsoleLogFile = "console.log";
    public const string QmpSocketFile = "qmp.sock";
    public const string ArtifactsDirectory = "artifacts";
    private const int MaxStderr = 16 << 10;

    private readonly IOptions<VmOptions> _options;
    private readonly TimeProvider _time;
    private readonly ILogger<VmRunner> _logger;
    private readonly SemaphoreSlim _slots;

    public VmRunner(IOptions<VmOptions> options, TimeProvider time, ILogger<VmRunner> logger)
    {
        _options = options;
        _time = time;
        _logger = logger;
        _slots = new SemaphoreSlim(options.Value.Slots, options.Value.Slots);
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
        var image = VmImage.Load(options.ImageDirectory);
        var gatewayPort = CheckGateway(job.Gateway);
        JobDisk.Write(job, paths.JobDisk);
        using (var output = new FileStream(paths.OutputDisk, FileMode.CreateNew, FileAccess.Write))
        {
            output.SetLength(options.OutputSize);
        }
        if (options.OverlaySize < image.Root.Size)
        {
            throw new InvalidOperationException($"Vm:OverlaySize ({options.OverlaySize}) is smaller than the base image ({image.Root.Size} bytes)");
        }
        // The overlay's virtual size bounds what the guest can write to the host's disk; the base stays read-only.
        await ProcessRunner.RunCheckedAsync(new ProcessCommand(options.QemuImgPath,
            ["create", "-q", "-f", "qcow2", "-F", "raw", "-b", image.Root.Path, paths.Overlay, options.OverlaySize.ToString(CultureInfo.InvariantCulture)]),
            cancellationToken);
        File.WriteAllBytes(paths.ConsoleLog, []);
        UnixUser? runAs = null;
        if (Environment.IsPrivilegedProcess && options.RunAs.Length > 0)
        {
            runAs = UnixUser.Lookup(options.RunAs);
            // qemu (as RunAs) writes the overlay and output disk and creates its QMP socket here; nothing else.
            await ProcessRunner.RunCheckedAsync(new ProcessCommand("chown", ["-R", $"{runAs.Uid}:{runAs.Gid}", "--", directory]), cancellationToken);
        }
        var useKvm = ChooseAccelerator(options.Accelerator);
        Log.Starting(_logger, job.BuildId, useKvm ? "kvm" : "tcg", runAs?.Name ?? "(daemon user)", gatewayPort);
        var launch = new QemuLaunch(image, paths.Overlay, paths.JobDisk, paths.OutputDisk, paths.QmpSocket, useKvm, gatewayPort, runAs);
        var run = await RunQemuAsync(launch, options, job, paths, cancellationToken);

        var result = Conclude(run, job, options, paths) with
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

    private VmRunResult Conclude(QemuRun run, VmJob job, VmOptions options, RunPaths paths)
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
            using var disk = new FileStream(paths.OutputDisk, FileMode.Open, FileAccess.Read, FileShare.Read);
            output = OutputExtractor.Extract(disk, paths.Artifacts, OutputLimits.From(options));
        }
        catch (OutputRejectedException e)
        {
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
        File.Delete(paths.QmpSocket);
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

        public string QmpSocket => Path.Combine(Directory, QmpSocketFile);

        public string Artifacts => Path.Combine(Directory, ArtifactsDirectory);
    }

    private sealed record QemuRun(long StartTimestamp, long? ReadyTimestamp, int ExitCode, VmOutcome? KilledFor, string Stderr, string LastLine);
}
