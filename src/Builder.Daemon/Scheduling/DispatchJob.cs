using Builder.Store.Builds;
using Builder.Store.Instances;
using Microsoft.Extensions.Options;
using Quartz;

namespace Builder.Daemon.Scheduling;

/// <summary>
/// Claims queued builds (SELECT … FOR UPDATE SKIP LOCKED, one active build per pocket+package) while the cluster has
/// free slots, and schedules a <see cref="RunBuildJob"/> for each. A clustered trigger: one daemon dispatches at a time.
/// </summary>
internal sealed partial class DispatchJob(BuildRepository builds, InstanceRepository instances, DaemonInstance instance,
    BuildResumes resumes, IOptions<SchedulerOptions> options, ILogger<DispatchJob> logger) : IJob
{
    public static readonly JobKey Key = new("dispatch", "builder");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken) =>
        await DispatchAsync(context.Scheduler, cancellationToken);

    internal async Task DispatchAsync(IScheduler scheduler, CancellationToken ct)
    {
        // The cluster's capacity: every live daemon brings Slots VMs.
        var capacity = options.Value.Slots * Math.Max(1, await instances.LiveCountAsync(options.Value.DeadAfter, ct));
        while (await builds.ClaimNextAsync(capacity, instance.Id, ct) is { } build)
        {
            // The claim (queued → preparing) made this attempt; its job is new, even if a job of an earlier attempt lingers.
            var (job, trigger) = RunBuildJob.Create(build.Id, build.Attempts, resume: false);
            try
            {
                await scheduler.ScheduleJob(job, trigger, new ScheduleJobOptions(), ct);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The claim is committed but nothing will run it yet: the sweep below, on the next tick, schedules it.
                Log.ScheduleFailed(logger, e, build.Id);
                throw;
            }
            Log.Dispatched(logger, build.Id, build.Pocket, build.Package);
        }

        // Builds a live daemon claimed whose run job is missing (its scheduling failed after the claim): schedule them.
        // Dispatch runs on one daemon at a time, so no claim of this tick is still on its way to the scheduler. A job
        // scheduled for a build that moved on meanwhile finds it no longer preparing and runs nothing.
        foreach (var (id, attempt) in await builds.ClaimedPreparingAsync(options.Value.DeadAfter, ct))
        {
            if (await RunBuildJob.ScheduleOnceAsync(scheduler, id, attempt, resume: false, node: null, ct))
            {
                Log.Redispatched(logger, id, attempt);
            }
        }

        // Builds left in auditing by a daemon that died: resume them on their host (a no-op job if the record is still
        // undelivered; the resume may already be scheduled by an earlier tick or by the audit retry job).
        foreach (var (id, attempt) in await builds.OrphanedAuditingAsync(options.Value.DeadAfter, ct))
        {
            if (await resumes.ScheduleAsync(scheduler, id, attempt, ct))
            {
                Log.Resumed(logger, id);
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(8311, LogLevel.Information, "Dispatched build {BuildId} ({Pocket}/{Package})")]
        public static partial void Dispatched(ILogger logger, long buildId, string pocket, string package);

        [LoggerMessage(8312, LogLevel.Information, "Resuming build {BuildId}, left in auditing by a daemon that stopped")]
        public static partial void Resumed(ILogger logger, long buildId);

        [LoggerMessage(8313, LogLevel.Error, "Build {BuildId} was claimed but its run job could not be scheduled; the next dispatch retries")]
        public static partial void ScheduleFailed(ILogger logger, Exception exception, long buildId);

        [LoggerMessage(8314, LogLevel.Warning, "Build {BuildId} (attempt {Attempt}) was claimed but had no run job: scheduled again")]
        public static partial void Redispatched(ILogger logger, long buildId, int attempt);
    }
}
