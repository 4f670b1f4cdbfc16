using System.Globalization;
using Builder.Daemon.Logs;
using Builder.Daemon.Pipeline;
using Builder.Store.Builds;
using Builder.Vm;
using Builder.Vm.Running;
using Microsoft.Extensions.Options;

namespace Builder.Daemon.Maintenance;

/// <summary>
/// Deletes this host's build files past their retention, judged by the build's end as the database records it — never
/// by a file's own time, and never while the build is queued or active (a requeued build's earlier VM directory
/// included): build logs (<c>Logs:KeepFor</c>), per-build work directories (<c>Pipeline:KeepWorkFor</c>; also what is
/// left of a VM directory), and the VM disks a failed build kept (<c>Vm:KeepFailedFor</c>). A file named for a build
/// the database does not know (left by an earlier installation) is judged by its own modification time. Symbolic links
/// and names that are not a build's are left alone.
/// </summary>
internal sealed partial class BuildFilesCleaner(
    BuildRepository builds,
    FailedBuildJanitor janitor,
    IOptions<BuildLogOptions> logs,
    IOptions<PipelineOptions> pipeline,
    IOptions<VmOptions> vm,
    TimeProvider time,
    ILogger<BuildFilesCleaner> logger)
{
    /// <summary>A build's files are left alone this long after its end: its notification and hooks run after the final state.</summary>
    public static readonly TimeSpan Settle = TimeSpan.FromMinutes(10);

    public async Task<CleanupResult> SweepAsync(CancellationToken cancellationToken)
    {
        var entries = new List<Entry>();
        Collect(entries, logs.Value.Directory, EntryKind.Log);
        Collect(entries, pipeline.Value.WorkDirectory, EntryKind.Work);
        Collect(entries, vm.Value.WorkDirectory, EntryKind.VmRun);
        var ends = await builds.EndsAsync([.. entries.Select(e => e.BuildId).Distinct()], cancellationToken);
        var keepLogs = logs.Value.KeepFor;
        var keepWork = pipeline.Value.KeepWorkFor;
        var keepDisks = vm.Value.KeepFailedFor;
        // A VM directory holds the disks: it goes only when both its disks and its other files are due.
        var keepVmRun = keepWork > keepDisks ? keepWork : keepDisks;
        var result = new CleanupResult();
        foreach (var entry in entries)
        {
            cancellationToken.ThrowIfCancellationRequested();
            TimeSpan age;
            if (ends.TryGetValue(entry.BuildId, out var end))
            {
                if (!end.Finished)
                {
                    continue;
                }
                age = end.FinishedAgo ?? TimeSpan.Zero;
            }
            else
            {
                age = time.GetUtcNow() - entry.Info.LastWriteTimeUtc;
            }
            if (age < Settle)
            {
                continue;
            }
            try
            {
                result = entry.Kind switch
                {
                    EntryKind.Log when age >= keepLogs => Delete(entry, result with { Logs = result.Logs + 1 }),
                    EntryKind.Work when age >= keepWork => Delete(entry, result with { WorkDirectories = result.WorkDirectories + 1 }),
                    EntryKind.VmRun when age >= keepVmRun => Delete(entry, result with { VmDirectories = result.VmDirectories + 1 }),
                    EntryKind.VmRun when age >= keepDisks && janitor.DeleteDisks(entry.Info.FullName) => result with { VmDisks = result.VmDisks + 1 },
                    _ => result,
                };
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                Log.DeleteFailed(logger, entry.Info.FullName, ex);
                result = result with { Failures = result.Failures + 1 };
            }
        }
        if (result.Total > 0 || result.Failures > 0)
        {
            Log.Swept(logger, result.Logs, result.WorkDirectories, result.VmDirectories, result.VmDisks, result.Failures);
        }
        return result;
    }

    private static CleanupResult Delete(Entry entry, CleanupResult counted)
    {
        if (entry.Info is DirectoryInfo dir)
        {
            // Recursive delete removes symbolic links inside the tree, never what they point to.
            dir.Delete(recursive: true);
        }
        else
        {
            entry.Info.Delete();
        }
        return counted;
    }

    /// <summary>Build entries of one directory: <c>&lt;id&gt;.log</c> files, <c>&lt;id&gt;</c> work or <c>&lt;id&gt;.&lt;attempt&gt;</c> VM directories.</summary>
    private static void Collect(List<Entry> entries, string directory, EntryKind kind)
    {
        if (!Directory.Exists(directory))
        {
            return;
        }
        foreach (var info in new DirectoryInfo(directory).EnumerateFileSystemInfos())
        {
            if (info.LinkTarget is not null || (kind == EntryKind.Log) != (info is FileInfo))
            {
                continue;
            }
            if (ParseId(info.Name, kind) is { } id)
            {
                entries.Add(new Entry(id, kind, info));
            }
        }
    }

    internal static long? ParseId(string name, EntryKind kind)
    {
        var (idPart, rest) = kind switch
        {
            EntryKind.Log => name.EndsWith(".log", StringComparison.Ordinal) ? (name[..^4], "") : ("", ""),
            EntryKind.VmRun => name.IndexOf('.', StringComparison.Ordinal) is var dot and > 0 ? (name[..dot], name[(dot + 1)..]) : ("", ""),
            _ => (name, ""),
        };
        if (kind == EntryKind.VmRun && !IsNumber(rest))
        {
            return null;
        }
        return IsNumber(idPart) && long.TryParse(idPart, NumberStyles.None, CultureInfo.InvariantCulture, out var id) && id > 0 ? id : null;
    }

    private static bool IsNumber(string s) => s.Length is > 0 and <= 18 && s[0] != '0' && s.All(char.IsAsciiDigit);

    internal enum EntryKind
    {
        Log,
        Work,
        VmRun,
    }

    private sealed record Entry(long BuildId, EntryKind Kind, FileSystemInfo Info);

    private static partial class Log
    {
        [LoggerMessage(8701, LogLevel.Information,
            "Cleanup deleted {LogCount} build logs, {WorkCount} work directories, {VmCount} VM directories and the disks of {DiskCount} failed VM runs ({FailureCount} could not be deleted)")]
        public static partial void Swept(ILogger logger, int logCount, int workCount, int vmCount, int diskCount, int failureCount);

        [LoggerMessage(8702, LogLevel.Warning, "Cleanup could not delete {Path}")]
        public static partial void DeleteFailed(ILogger logger, string path, Exception exception);
    }
}
