using Builder.Store.Instances;
using Microsoft.Extensions.Options;
using Quartz;

namespace Builder.Daemon.Scheduling;

/// <summary>
/// Schedules the resume of a build waiting in auditing on its home: the host of the daemon that prepared it, where its
/// plan, source package and build-deps are. The trigger is pinned to a live daemon of that host (Quartz's preferred
/// node is strict while that node checks in; only a node Quartz counts as dead loses its triggers to others, and
/// <see cref="RunBuildJob"/> then sends the resume home again).
/// </summary>
internal sealed class BuildResumes(InstanceRepository instances, IOptions<SchedulerOptions> options, TimeProvider time)
{
    /// <returns>true when this call scheduled it (false: already scheduled, or running).</returns>
    public async Task<bool> ScheduleAsync(IScheduler scheduler, long buildId, int attempt, CancellationToken cancellationToken)
    {
        var home = await instances.HomeOfAsync(buildId, options.Value.DeadAfter, cancellationToken);
        return await RunBuildJob.ScheduleOnceAsync(scheduler, buildId, attempt, resume: true, home?.LiveInstance, cancellationToken);
    }

    /// <summary>Where a resume must run: null when this daemon is on the build's home (or the build has no owner).</summary>
    public async Task<BuildHome?> ElsewhereAsync(long buildId, string host, CancellationToken cancellationToken)
    {
        var home = await instances.HomeOfAsync(buildId, options.Value.DeadAfter, cancellationToken);
        return home is null || home.Host == host ? null : home;
    }

    /// <summary>
    /// Sends the running resume job home: one more trigger of the same job, pinned to <paramref name="node"/>, one
    /// heartbeat from now (so a daemon that keeps getting it while the home daemon is paused does not spin).
    /// </summary>
    public async Task SendHomeAsync(IScheduler scheduler, JobKey job, string node, CancellationToken cancellationToken)
    {
        var trigger = TriggerBuilder.Create()
            .WithIdentity($"{job.Name}-{Guid.NewGuid():N}", job.Group)
            .ForJob(job)
            .WithExecutionGroup(RunBuildJob.ExecutionGroup)
            .WithPreferredNode(PreferredNode.For(node))
            .StartAt(time.GetUtcNow() + options.Value.HeartbeatInterval)
            .Build();
        await scheduler.ScheduleJob(trigger, new ScheduleJobOptions(), cancellationToken);
    }
}
