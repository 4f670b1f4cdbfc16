using Builder.Core.Builds;
using Builder.Daemon.Audit;
using Builder.Store.Builds;
using Microsoft.Extensions.Options;
using Quartz;

namespace Builder.Daemon.Scheduling;

/// <summary>
/// The one place that decides a build's owner is gone and fails its attempt as interrupted (requeued once), and that
/// closes the recovered attempts' paperwork through <see cref="IInterruptedBuildHandler"/>: the heartbeat sweep of
/// <see cref="InstanceService"/>, a <see cref="RunBuildJob"/> Quartz re-runs as recovering, and a resume whose plan
/// is on a host where no daemon is alive. It also gives a job to builds stranded without one (the dispatcher's sweep).
/// </summary>
internal sealed partial class BuildRecovery(BuildRepository builds, AuditStamps stamps, BuildResumes resumes, IEnumerable<IInterruptedBuildHandler> handlers,
    IOptions<SchedulerOptions> options, ILogger<BuildRecovery> logger)
{
    /// <summary>Fails the active builds of every gone owner; their paperwork is left to <see cref="EndInterruptedAsync"/>.</summary>
    public async Task<IReadOnlyList<InterruptedBuild>> RecoverGoneOwnersAsync(CancellationToken cancellationToken)
    {
        var recovered = await builds.RecoverInterruptedAsync(options.Value.DeadAfter, stamps.Now(), cancellationToken);
        if (recovered.Count > 0)
        {
            Log.Recovered(logger, recovered.Count, recovered.Count(b => b.Requeued));
        }
        return recovered;
    }

    /// <summary>A run job re-run as recovering: its attempt is failed if its owner is really gone.</summary>
    public async Task RecoverRunAsync(long id, int attempt, CancellationToken cancellationToken)
    {
        if (await builds.RecoverBuildAsync(id, attempt, options.Value.DeadAfter, stamps.Now(), cancellationToken) is { } recovered)
        {
            Log.RunRecovered(logger, id, attempt);
            await EndInterruptedAsync([recovered], cancellationToken);
        }
    }

    /// <summary>A resume whose plan is on a host with no live daemon: the attempt cannot continue anywhere.</summary>
    public async Task RecoverUnreachableAsync(long id, int attempt, string host, CancellationToken cancellationToken)
    {
        if (await builds.RecoverUnreachableAsync(id, attempt, stamps.Now(), cancellationToken) is { } recovered)
        {
            Log.Unreachable(logger, id, attempt, host);
            await EndInterruptedAsync([recovered], cancellationToken);
        }
    }

    /// <summary>
    /// Schedules the job that stranded builds lack: the run job of a claim whose scheduling failed after the claim
    /// committed (dispatch runs on one daemon at a time, so no claim of this tick is still on its way to the scheduler),
    /// and the resume, on its home host, of a build its daemon left in auditing (a no-op job if the record is still
    /// undelivered). A job already scheduled, by an earlier tick or the audit retry job, is left alone; one scheduled for
    /// a build that moved on meanwhile finds it in another state and runs nothing.
    /// </summary>
    public async Task RescheduleStrandedAsync(IScheduler scheduler, CancellationToken cancellationToken)
    {
        foreach (var build in await builds.StrandedAsync(options.Value.DeadAfter, cancellationToken))
        {
            if (build.State == BuildState.Preparing)
            {
                if (await RunBuildJob.ScheduleOnceAsync(scheduler, build.Id, build.Attempt, resume: false, node: null, cancellationToken))
                {
                    Log.Redispatched(logger, build.Id, build.Attempt);
                }
            }
            else if (await resumes.ScheduleAsync(scheduler, build.Id, build.Attempt, cancellationToken))
            {
                Log.Resumed(logger, build.Id);
            }
        }
    }

    public async Task EndInterruptedAsync(IReadOnlyList<InterruptedBuild> recovered, CancellationToken cancellationToken)
    {
        foreach (var build in recovered)
        {
            foreach (var handler in handlers)
            {
                try
                {
                    await handler.BuildInterruptedAsync(build, cancellationToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    Log.InterruptedHandlerFailed(logger, build.Id, build.Attempt, ex);
                }
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(8312, LogLevel.Information, "Resuming build {BuildId}, left in auditing by a daemon that stopped")]
        public static partial void Resumed(ILogger logger, long buildId);

        [LoggerMessage(8314, LogLevel.Warning, "Build {BuildId} (attempt {Attempt}) was claimed but had no run job: scheduled again")]
        public static partial void Redispatched(ILogger logger, long buildId, int attempt);

        [LoggerMessage(8302, LogLevel.Warning, "Recovered {FailedCount} interrupted builds ({RequeuedCount} requeued)")]
        public static partial void Recovered(ILogger logger, int failedCount, int requeuedCount);

        [LoggerMessage(8304, LogLevel.Error, "Build {BuildId}: closing interrupted attempt {Attempt} failed")]
        public static partial void InterruptedHandlerFailed(ILogger logger, long buildId, int attempt, Exception exception);

        [LoggerMessage(8321, LogLevel.Warning, "Build {BuildId} attempt {Attempt}: its daemon died while running it; failed as interrupted")]
        public static partial void RunRecovered(ILogger logger, long buildId, int attempt);

        [LoggerMessage(8324, LogLevel.Warning, "Build {BuildId} attempt {Attempt}: its plan is on host {Host}, where no daemon is alive; failed as interrupted")]
        public static partial void Unreachable(ILogger logger, long buildId, int attempt, string host);
    }
}
