using Builder.Store.Builds;
using Builder.Store.Instances;
using Microsoft.Extensions.Options;
using Quartz;

namespace Builder.Daemon.Scheduling;

/// <summary>
/// Claims queued builds (SELECT … FOR UPDATE SKIP LOCKED, one active build per pocket+package) while the cluster has
/// free slots, and schedules a <see cref="RunBuildJob"/> for each; then has <see cref="BuildRecovery"/> give a job to
/// builds stranded without one. A clustered trigger: one daemon dispatches at a time.
/// </summary>
internal sealed partial class DispatchJob(BuildRepository builds, InstanceRepository instances, DaemonInstance instance,
    BuildRecovery recovery, IOptions<SchedulerOptions> options, ILogger<DispatchJob> logger) : IJob
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
                // The claim is committed but nothing will run it yet: the stranded sweep, on the next tick, schedules it.
                Log.ScheduleFailed(logger, e, build.Id);
                throw;
            }
            Log.Dispatched(logger, build.Id, build.Pocket, build.Package);
        }

        // Claims whose run job is missing, and builds left in auditing by a daemon that died.
        await recovery.RescheduleStrandedAsync(scheduler, ct);
    }

    private static partial class Log
    {
        [LoggerMessage(8311, LogLevel.Information, "Dispatched build {BuildId} ({Pocket}/{Package})")]
        public static partial void Dispatched(ILogger logger, long buildId, string pocket, string package);

        [LoggerMessage(8313, LogLevel.Error, "Build {BuildId} was claimed but its run job could not be scheduled; the next dispatch retries")]
        public static partial void ScheduleFailed(ILogger logger, Exception exception, long buildId);
    }
}
