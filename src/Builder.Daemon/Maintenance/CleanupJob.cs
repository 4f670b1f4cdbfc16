using Quartz;

namespace Builder.Daemon.Maintenance;

/// <summary>
/// Deletes this host's build files past their retention (<see cref="BuildFilesCleaner"/>). Each host has its own trigger,
/// pinned to the daemon running there (the files are local); while that daemon is down, another daemon may run it,
/// which then cleans its own files: harmless, the job is idempotent. It also deletes compile-job records past
/// <c>Farm:KeepJobRecordsFor</c> (<see cref="CompileJobRetention"/>: shared rows, so any host's run will do).
/// </summary>
[DisallowConcurrentExecution]
internal sealed class CleanupJob(BuildFilesCleaner cleaner, CompileJobRetention jobRecords) : IJob
{
    public static readonly JobKey Key = new("cleanup", "builder");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        await cleaner.SweepAsync(cancellationToken);
        await jobRecords.SweepAsync(cancellationToken);
    }
}
