using System.Globalization;
using Builder.Core.Builds;
using Builder.Store.Builds;
using Microsoft.Extensions.Options;
using Quartz;

namespace Builder.Daemon.Scheduling;

/// <summary>
/// Runs one attempt of a dispatched build on whichever daemon Quartz gives it to: a daemon acquires these triggers
/// only while it has a free slot (execution group <see cref="ExecutionGroup"/>, limited per node to Scheduler:Slots),
/// so builds spread over the daemons that have room. The job carries the attempt it was made for: a job left over
/// from an attempt that was interrupted and requeued does nothing. When the daemon that ran it died, Quartz runs the
/// job again flagged as recovering: the build is then failed as interrupted and requeued once (if its owner is really
/// gone), never resumed half-way (a VM cannot be resumed; publishing is idempotent anyway). A resume runs only on the
/// build's home host (<see cref="BuildResumes"/>): elsewhere it is sent home, or failed as interrupted when no daemon
/// of that host is alive.
/// </summary>
internal sealed partial class RunBuildJob(BuildRepository builds, IBuildPipeline pipeline, BuildRecovery recovery, BuildResumes resumes,
    LocalSlots slots, DaemonInstance instance, ILogger<RunBuildJob> logger) : IJob
{
    public const string BuildIdKey = "buildId";

    public const string AttemptKey = "attempt";

    /// <summary>Job data flag: continue a build waiting in auditing (its start record was accepted late, or its daemon died).</summary>
    public const string ResumeKey = "resume";

    /// <summary>The Quartz execution group of build triggers; each daemon runs at most Scheduler:Slots of them at once.</summary>
    public const string ExecutionGroup = "builds";

    /// <summary>
    /// The job and trigger that run (or resume) one attempt of a build; the key names both, so each is scheduled once.
    /// A <paramref name="node"/> pins the trigger to that daemon.
    /// </summary>
    public static (IJobDetail Job, ITrigger Trigger) Create(long buildId, int attempt, bool resume, string? node = null)
    {
        var name = string.Create(CultureInfo.InvariantCulture, $"{(resume ? "resume" : "run")}-build-{buildId}-{attempt}");
        var job = JobBuilder.Create<RunBuildJob>()
            .WithIdentity(name, "builds")
            .UsingJobData(BuildIdKey, buildId)
            .UsingJobData(AttemptKey, attempt)
            .UsingJobData(ResumeKey, resume)
            // If the daemon running it dies, another daemon re-runs the job flagged as recovering.
            .RequestRecovery()
            .Build();
        var trigger = TriggerBuilder.Create().WithIdentity(name, "builds").WithExecutionGroup(ExecutionGroup).StartNow();
        if (node is not null)
        {
            trigger.WithPreferredNode(PreferredNode.For(node));
        }
        return (job, trigger.Build());
    }

    /// <summary>
    /// Schedules the job of this attempt unless it is already stored (scheduled earlier, or running): the cheap lookup
    /// first, then the insert, which may still lose a race with another scheduler of the same key.
    /// </summary>
    /// <returns>true when this call scheduled it.</returns>
    public static async Task<bool> ScheduleOnceAsync(IScheduler scheduler, long buildId, int attempt, bool resume, string? node,
        CancellationToken cancellationToken)
    {
        var (job, trigger) = Create(buildId, attempt, resume, node);
        if (await scheduler.Exists(job.Key, cancellationToken))
        {
            return false;
        }
        try
        {
            await scheduler.ScheduleJob(job, trigger, new ScheduleJobOptions(), cancellationToken);
            return true;
        }
        catch (ObjectAlreadyExistsException)
        {
            return false;
        }
    }

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var data = context.MergedJobDataMap;
        var id = data.GetLong(BuildIdKey);
        var attempt = data.GetInt(AttemptKey);
        var resume = data.GetBoolean(ResumeKey);
        var ct = cancellationToken;
        if (context.Recovering)
        {
            await recovery.RecoverRunAsync(id, attempt, ct);
            if (!resume)
            {
                return;
            }
            // A resume that died before it took the build (still auditing) is simply run here.
        }
        if (resume && await resumes.ElsewhereAsync(id, instance.Host, ct) is { } home)
        {
            // The plan, source package and build-deps are in the work directory of the host that prepared the build.
            if (home.LiveInstance is { } node)
            {
                Log.SentHome(logger, id, attempt, home.Host);
                await resumes.SendHomeAsync(context.Scheduler, context.JobDetail.Key, node, ct);
            }
            else
            {
                await recovery.RecoverUnreachableAsync(id, attempt, home.Host, ct);
            }
            return;
        }
        await slots.WaitAsync(ct);
        try
        {
            var state = resume ? BuildState.Auditing : BuildState.Preparing;
            // Taking the build is conditional on its state and attempt: a stale job, or one racing a recovery, runs nothing.
            if (await builds.TakeAsync(id, state, attempt, instance.Id, ct) is not { } build)
            {
                Log.Stale(logger, id, attempt, resume ? "resume" : "run");
                return;
            }
            await (resume ? pipeline.ResumeAsync(build, ct) : pipeline.RunAsync(build, ct));
        }
        finally
        {
            slots.Release();
        }
    }

    private static partial class Log
    {
        [LoggerMessage(8323, LogLevel.Information, "Build {BuildId} attempt {Attempt}: its plan is on host {Host}; the resume is sent there")]
        public static partial void SentHome(ILogger logger, long buildId, int attempt, string host);

        [LoggerMessage(8322, LogLevel.Information, "Build {BuildId} attempt {Attempt}: {Kind} job has nothing to do (the build moved on)")]
        public static partial void Stale(ILogger logger, long buildId, int attempt, string kind);
    }
}
