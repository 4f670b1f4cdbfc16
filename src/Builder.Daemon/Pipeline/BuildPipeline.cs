using Builder.Audit.Delivery;
using Builder.Audit.Mail;
using Builder.Audit.Notify;
using Builder.Core.Audit;
using Builder.Core.Builds;
using Builder.Daemon.Audit;
using Builder.Daemon.Hooks;
using Builder.Daemon.Hosting;
using Builder.Daemon.Logs;
using Builder.Daemon.Pipeline.Copies;
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
    PocketBuildDepSources pocketSources,
    CopySourceFinder copies,
    AuditTrail audit,
    NotificationComposer notifications,
    SmtpMailTransport mail,
    IFarmGateway farm,
    IVmRunner vm,
    RepositoryPublisher publisher,
    HookRunner hooks,
    BuildLogStore logs,
    ISchedulerFactory schedulers,
    BuildResumes resumes,
    IOptionsMonitor<PocketsOptions> pockets,
    IOptions<PipelineOptions> options,
    IOptions<Builder.Vm.VmOptions> vmOptions,
    IOptions<BuildDepsOptions> buildDepsOptions,
    PublicBaseUrl links,
    TestPausePoints pauses,
    TimeProvider time,
    ILogger<BuildPipeline> logger) : IBuildPipeline, IAuditAcceptedHandler, IInterruptedBuildHandler
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
        try
        {
            var plan = await PrepareAsync(run);
            if (plan is null)
            {
                return;
            }
            await AuditAndContinueAsync(run, plan);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || run.CancelRequested)
        {
            await EndUnexpectedlyAsync(run, ex);
        }
    }

    /// <summary>Continues a build in auditing (its start record was accepted late, or the daemon restarted).</summary>
    public async Task ResumeAsync(BuildRecord build, CancellationToken cancellationToken)
    {
        await using var run = Start(build, cancellationToken);
        try
        {
            var plan = await BuildPlan.LoadAsync(run.WorkDirectory, run.Token);
            if (plan is null)
            {
                var old = BuildPlan.ExistsIn(run.WorkDirectory);
                await run.LogAsync(old
                    ? "the build's plan was written by an older builderd (without build-dep origins or declared binaries); it cannot resume"
                    : "the build's plan is gone (its work directory was removed or is on another host); it cannot resume");
                await FailAsync(run, BuildState.Auditing, BuildStages.Auditing,
                    old ? "prepared by an older builderd; submit it again" : "the prepared build was lost before its audit record was accepted", null,
                    audited: await audit.HasBuildStartAsync(build.Id, build.Attempts, run.Token));
                return;
            }
            await AuditAndContinueAsync(run, plan);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || run.CancelRequested)
        {
            await EndUnexpectedlyAsync(run, ex);
        }
    }

    /// <summary>
    /// A failure no stage handled (or a cancel request that cut through one): the build must not stay active under a
    /// live daemon, where no recovery would ever look at it. It ends failed at its current stage (or cancelled), with
    /// its build-end record when the attempt was audited.
    /// </summary>
    private async Task EndUnexpectedlyAsync(BuildRun run, Exception ex)
    {
        var now = await builds.GetAsync(run.BuildId, CancellationToken.None);
        if (now is null || !BuildStates.Active.Contains(now.State) || now.Attempts != run.Build.Attempts)
        {
            return;
        }
        var plan = await BuildPlan.LoadAsync(run.WorkDirectory, CancellationToken.None);
        var audited = await audit.HasBuildStartAsync(run.BuildId, now.Attempts, CancellationToken.None);
        if (ex is OperationCanceledException)
        {
            await CancelAsync(run, now.State, audited);
            return;
        }
        Log.Unexpected(logger, run.BuildId, BuildStates.Name(now.State), ex);
        await run.LogAsync($"internal error while {BuildStates.Name(now.State)}: {ex.Message}");
        var stage = now.State switch
        {
            BuildState.Preparing => BuildStages.Preparing,
            BuildState.Auditing => BuildStages.Auditing,
            BuildState.Building => BuildStages.Building,
            _ => BuildStages.Publishing,
        };
        await FailAsync(run, now.State, stage, $"internal error: {ex.Message}", plan, audited);
    }

    /// <summary>The AuditRetry job got a build-start record through: run the rest of that build as its own job.</summary>
    public async Task BuildStartAcceptedAsync(long buildId, int attempt, CancellationToken cancellationToken)
    {
        // Not scheduled again when the dispatcher scheduled the same resume already (the build's daemon had died).
        await resumes.ScheduleAsync(await schedulers.GetScheduler(cancellationToken), buildId, attempt, cancellationToken);
    }

    /// <summary>
    /// Recovery failed an attempt whose daemon died: its build log says so, and an audited attempt gets its build-end
    /// record (failed, interrupted) so the chain closes every attempt it opened.
    /// </summary>
    public async Task BuildInterruptedAsync(InterruptedBuild build, CancellationToken cancellationToken)
    {
        var delivery = await audit.RecordInterruptedAsync(build.Id, build.Attempt, cancellationToken);
        var line = string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"attempt {build.Attempt} interrupted: the daemon running it stopped while the build was {BuildStates.Name(build.LeftIn)}; {(build.Requeued ? "requeued" : "not requeued again (interrupted twice)")}{(delivery is null ? "" : $"; audit: build-end record seq {delivery.Seq} {(delivery.Accepted ? "accepted off-site" : "queued for delivery")}")}");
        await logs.AppendLineAsync(build.Id, line, cancellationToken);
        if (build.LeftIn == BuildState.Publishing && !build.Requeued)
        {
            // Publishing goes file by file into reprepro: the attempt may have left its packages in the pocket's
            // repository, untagged. Submitting the same commit again publishes the same files (a no-op) and tags it.
            await logs.AppendLineAsync(build.Id,
                "the pocket's repository may already hold this build's packages (publishing was under way); submit the same commit again to finish publishing and tagging",
                cancellationToken);
        }
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
        await PauseAsync(run, PausePoint.Audited);
        await ContinueAfterAuditAsync(run, plan, delivery.Seq);
    }

    /// <summary>Crash tests only (<see cref="TestPausePoints"/>): holds the build here while the test kills the daemon.</summary>
    private async Task PauseAsync(BuildRun run, PausePoint point)
    {
        if (!pauses.Holds(point, run.Build.Pocket, run.Build.Package))
        {
            return;
        }
        var name = TestPausePoints.NameOf(point);
        Log.TestPause(logger, run.BuildId, name);
        await run.LogAsync($"TEST ONLY: held at pause point '{name}'");
        await run.Writer.FlushAsync(run.Token);
        await pauses.HoldAsync(point, run.BuildId, run.Token);
        await run.LogAsync($"TEST ONLY: released from pause point '{name}'");
    }

    /// <summary>
    /// The build's facts for its audit records: its VM image and build-deps with their origins, or for a copy those of
    /// the build it copies, named with its build-end record's seq.
    /// </summary>
    private static AuditFacts Facts(BuildPlan plan) => plan.Copy is { } copy
        ? new(copy.Image, copy.BuildDeps, new AuditCopySource(copy.BuildId, copy.EndSeq))
        : new("sha256:" + plan.ImageManifestSha256,
            [.. plan.BuildDeps.Select(d => new AuditBuildDependency(d.Name, d.Version, d.Origin, d.Sha256))]);
}
