using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Builder.Vm.Running;

/// <summary>
/// Deletes the VM disks (overlay, job and output disk) that failed builds left under Vm:WorkDirectory once they
/// are older than Vm:KeepFailedFor; the console log and artifacts stay. The daemon calls <see cref="Sweep()"/> periodically.
/// </summary>
public sealed partial class FailedBuildJanitor(IOptions<VmOptions> options, TimeProvider time, ILogger<FailedBuildJanitor> logger)
{
    private static readonly string[] Disks = [VmRunner.OverlayFile, VmRunner.OutputDiskFile, VmRunner.JobDiskFile];

    /// <summary>Returns how many build directories were cleaned.</summary>
    public int Sweep() => Sweep(options.Value.WorkDirectory);

    internal int Sweep(string workDirectory)
    {
        if (!Directory.Exists(workDirectory))
        {
            return 0;
        }
        var cutoff = time.GetUtcNow().UtcDateTime - options.Value.KeepFailedFor;
        var cleaned = 0;
        foreach (var build in Directory.EnumerateDirectories(workDirectory))
        {
            var overlay = new FileInfo(Path.Combine(build, VmRunner.OverlayFile));
            // Only the build's own regular file: a symlink named like an overlay is left alone.
            if (!overlay.Exists || overlay.LinkTarget is not null || overlay.LastWriteTimeUtc > cutoff)
            {
                continue;
            }
            foreach (var disk in Disks)
            {
                File.Delete(Path.Combine(build, disk));
            }
            Log.Deleted(logger, build);
            cleaned++;
        }
        return cleaned;
    }

    private static partial class Log
    {
        [LoggerMessage(5020, LogLevel.Information, "Deleted the VM disks of failed build directory {Directory} (older than Vm:KeepFailedFor)")]
        public static partial void Deleted(ILogger logger, string directory);
    }
}
