using Builder.Audit.Delivery;
using Builder.Audit.Mail;
using Builder.Audit.Notify;
using Builder.Core.Builds;
using Builder.Daemon.Audit;
using Builder.Daemon.Hooks;
using Builder.Daemon.Hosting;
using Builder.Daemon.Logs;
using Builder.Daemon.Publishing;
using Builder.Daemon.Scheduling;
using Builder.Farm.Gateway;
using Builder.Sources;
using Builder.Sources.Tagging;
using Builder.Store.Builds;
using Builder.Store.Sources;
using Builder.Vm;
using Microsoft.Extensions.Options;
using Quartz;

namespace Builder.Daemon.Pipeline;

/// <summary>
/// One build from claim to final state (DESIGN.md "Data flow"): preparing (sources, pocket rules, build-deps, plan) →
/// auditing (build-start record accepted off-site) → pre-build hooks → building (VM + gateway) → publishing
/// (reprepro, tag, pocket head with the success in one transaction) → build-end record, notification, hooks.
/// A build whose start record is not yet accepted stops here and is resumed by <see cref="BuildStartAcceptedAsync"/>.
/// Every stage checks for a cancel request; every transition is guarded by the state the stage expects.
/// </summary>
internal sealed partial class BuildPipeline(
    BuildRepository builds,
    BuildCompletion completion,
    PocketHeadRepository heads,
    PackageSources sources,
    PocketTagger tagger,
    BuildDepsResolver buildDeps,
    AuditTrail audit,
    NotificationComposer notifications,
    SmtpMailTransport mail,
    IFarmGateway farm,
    IVmRunner vm,
    RepositoryPublisher publisher,
    HookRunner hooks,
    BuildLogStore logs,
    ISchedulerFactory schedulers,
    IOptionsMonitor<PocketsOptions> pockets,
    IOptions<PipelineOptions> options,
    IOptions<Builder.Vm.VmOptions> vmOptions,
    PublicBaseUrl links,
    TimeProvider time,
    ILogger<BuildPipeline> logger) : IBuildPipeline, IAuditAcceptedHandler
{
    private int _repositoryConfigured;

    public string WorkDirectoryOf(long buildId) =>
        Path.Combine(options.Value.WorkDirectory, buildId.ToString(System.Globalization.CultureInfo.InvariantCulture));

    private BuildRun Start(BuildRecord build, CancellationToken cancellationToken) =>
        new(build, WorkDirectoryOf(build.Id), builds, logs, time, options.Value.CancelPollInterval, cancellationToken);

    /// <summary>Runs a freshly claimed build (state preparing).</summary>
    public async Task RunAsync(BuildRecord build, CancellationToken cancellationToken)
    {
        await using var run = Start(build, cancellationToken);
        var plan = await PrepareAsync(run);
        if (plan is null)
        {
            return;
        }
        await AuditAndContinueAsync(run, plan);
    }

    /// <summary>Continues a build in auditing (its start record was accepted late, or the daemon restarted).</summary>
    public async Task ResumeAsync(BuildRecord build, CancellationToken cancellationToken)
    {
        await using var run = Start(build, cancellationToken);
        var plan = await BuildPlan.LoadAsync(run.WorkDirectory, run.Token);
        if (plan is null)
        {
            await run.LogAsync("the build's plan is gone (its work directory was removed or is on another host); it cannot resume");
            await FailAsync(run, BuildState.Auditing, BuildStages.Auditing, "the prepared build was lost before its audit record was accepted", null, audited: false);
            return;
        }
        await AuditAndContinueAsync(run, plan);
    }

    /// <summary>The AuditRetry job got a build-start record through: run the rest of that build as its own job.</summary>
    public async Task BuildStartAcceptedAsync(long buildId, CancellationToken cancellationToken)
    {
        var job = JobBuilder.Create<RunBuildJob>()
            .WithIdentity(RunBuildJob.ResumeKeyFor(buildId))
            .UsingJobData(RunBuildJob.BuildIdKey, buildId)
            .UsingJobData(RunBuildJob.ResumeKey, true)
            .RequestRecovery()
            .Build();
        var trigger = TriggerBuilder.Create().WithIdentity($"resume-build-{buildId}", "builder").StartNow().Build();
        var quartz = await schedulers.GetScheduler(cancellationToken);
        await quartz.ScheduleJob(job, trigger, new ScheduleJobOptions(), cancellationToken);
    }

    private async Task AuditAndContinueAsync(BuildRun run, BuildPlan plan)
    {
        var build = await builds.GetAsync(run.BuildId, run.Token) ?? throw new InvalidOperationException($"build {run.BuildId} vanished");
        if (await CancelIfRequestedAsync(run, build.State, audited: false))
        {
            return;
        }
        AuditDelivery delivery;
        try
        {
            delivery = await audit.EnsureAuditedAsync(build, Facts(plan), run.Token);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // A broken chain or database: the build waits in auditing; the retry job and the operator's alert take it from here.
            await run.LogAsync($"audit: the build-start record could not be written or sent: {ex.Message}");
            Log.AuditFailed(logger, run.BuildId, ex);
            return;
        }
        if (!delivery.Accepted)
        {
            await run.LogAsync($"audit: build-start record seq {delivery.Seq} not accepted yet ({delivery.LastError}); the build waits, next attempt {delivery.NextAttemptAt:u}");
            return;
        }
        await run.LogAsync($"audit: build-start record seq {delivery.Seq} accepted off-site (Message-ID {delivery.MessageId})");
        await ContinueAfterAuditAsync(run, plan, delivery.Seq);
    }

    private AuditFacts Facts(BuildPlan plan) =>
        new(plan.CopyFromPocket is null ? "sha256:" + plan.ImageManifestSha256 : null,
            [.. plan.BuildDeps.Select(d => new Builder.Core.Audit.AuditBuildDependency(d.Name, d.Version))]);
}
