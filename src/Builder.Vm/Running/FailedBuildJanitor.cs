using Microsoft.Extensions.Logging;

namespace Builder.Vm.Running;

/// <summary>
/// Deletes the VM disks (overlay, job and output disk) that a failed, cancelled or timed-out build left in its VM run
/// directory; the console log and the artifacts stay. When is the daemon's decision (its Cleanup job: Vm:KeepFailedFor
/// after the build ended, never while the build is active); this class only knows which files are the disks.
/// </summary>
public sealed partial class FailedBuildJanitor(ILogger<FailedBuildJanitor> logger)
{
    private static readonly string[] Disks = [VmRunner.OverlayFile, VmRunner.OutputDiskFile, VmRunner.JobDiskFile];

    /// <summary>Deletes the disks in <paramref name="runDirectory"/>; returns false when there were none.</summary>
    public bool DeleteDisks(string runDirectory)
    {
        var deleted = false;
        foreach (var disk in Disks)
        {
            var file = new FileInfo(Path.Combine(runDirectory, disk));
            // Only the run's own regular files: a symlink named like a disk is left alone (its target is not ours).
            if (file.Exists && file.LinkTarget is null)
            {
                file.Delete();
                deleted = true;
            }
        }
        if (deleted)
        {
            Log.Deleted(logger, runDirectory);
        }
        return deleted;
    }

    private static partial class Log
    {
        [LoggerMessage(5020, LogLevel.Information, "Deleted the VM disks of failed build directory {Directory} (past Vm:KeepFailedFor)")]
        public static partial void Deleted(ILogger logger, string directory);
    }
}
