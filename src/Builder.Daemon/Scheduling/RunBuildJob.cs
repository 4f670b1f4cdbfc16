using Builder.Core.Builds;
using Builder.Store.Builds;
using Quartz;

namespace Builder.Daemon.Scheduling;

/// <summary>
/// Runs one dispatched build on whichever daemon Quartz gives it to. When the daemon that ran it died, Quartz runs
/// the job again flagged as recovering: the build is then failed as interrupted and requeued once, never resumed
/// half-way (a VM cannot be resumed; publishing is idempotent anyway).
/// </summary>
internal sealed partial class RunBuildJob(BuildRepository builds, IBuildPipeline pipeline, LocalSlots slots, DaemonInstance instance,
    ILogger<RunBuildJob> logger) : IJob
{
    public const string BuildIdKey = "buildId";

    /// <summary>Job data flag: continue a build waiting in auditing (its start record was accepted late).</summary>
    public const string ResumeKey = "resume";

    public static JobKey KeyFor(long buildId) => new($"run-build-{buildId}", "builds");

    public static JobKey ResumeKeyFor(long buildId) => new($"resume-build-{buildId}", "builds");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var id = context.MergedJobDataMap.GetLong(BuildIdKey);
        var ct = cancellationToken;
        if (context.Recovering)
        {
            if (await builds.RecoverBuildAsync(id, ct))
            {
                Log.Recovered(logger, id);
            }
            return;
        }
        await slots.WaitAsync(ct);
        try
        {
            var build = await builds.GetAsync(id, ct);
            var resume = context.MergedJobDataMap.ContainsKey(ResumeKey);
            if (build is null || build.State != (resume ? BuildState.Auditing : BuildState.Preparing))
            {
                return;
            }
            await builds.SetOwnerAsync(id, instance.Id, ct);
            await (resume ? pipeline.ResumeAsync(build, ct) : pipeline.RunAsync(build, ct));
        }
        finally
        {
            slots.Release();
        }
    }

    private static partial class Log
    {
        [LoggerMessage(8321, LogLevel.Warning, "Build {BuildId}: its daemon died while running it; failed as interrupted")]
        public static partial void Recovered(ILogger logger, long buildId);
    }
}
