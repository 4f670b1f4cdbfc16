using Builder.Daemon.Audit;
using Builder.Core.Audit;
using Builder.Core.Builds;
using Builder.Core.Text;
using Builder.Daemon.Hooks;
using Builder.Store.Audit;
using Builder.Store.Builds;

namespace Builder.Daemon.Pipeline.Stages;

/// <summary>
/// Owns how a build ends: the final transition (failed, cancelled, or a published build's success) committed together
/// with the attempt's build-end audit record when it was audited (a trigger refuses the one without the other), then
/// its paperwork: delivering that record, the notification mail and the post-build or failed-build hooks. None of the
/// paperwork can change the build's result; its failures are logged.
/// </summary>
internal sealed partial class FinishStage(BuildRepository builds, BuildCompletion completion, AuditTrail audit, BuildEndCommit commit,
    BuildNotifier notifier, BuildHooks hooks, ILogger<FinishStage> logger)
{
    public async Task FailAsync(BuildRun run, BuildState from, BuildOutcome outcome)
    {
        // A reason may quote tool stderr or a console line (text the guest controls): it is stored, shown and mailed clean.
        outcome = outcome with { Reason = UntrustedLines.Join(outcome.Reason ?? "") };
        await EndAsync(run, new StateChange(from, BuildState.Failed) { Stage = outcome.FailedStage, Reason = outcome.Reason }, outcome);
    }

    /// <summary>Cancels on request; <paramref name="outcome"/> says whether the attempt was audited and its compile jobs.</summary>
    public async Task CancelAsync(BuildRun run, BuildState from, BuildOutcome outcome)
    {
        await run.LogAsync(BuildOutcome.CancelReason);
        outcome = outcome with { Plan = await BuildPlan.LoadAsync(run.WorkDirectory, CancellationToken.None), Result = null };
        await EndAsync(run, new StateChange(from, BuildState.Cancelled) { Reason = BuildOutcome.CancelReason }, outcome);
    }

    /// <summary>
    /// A published build succeeds: the pocket head, the build-end record composed before publishing
    /// (<paramref name="buildEnd"/>, null when the attempt was not audited) and the success commit together, then the paperwork.
    /// </summary>
    /// <returns>false when the pocket head moved meanwhile (nothing committed).</returns>
    public async Task<bool> SucceedAsync(BuildRun run, BuildSuccess success, BuildOutcome outcome, Func<long, string, AuditRecord>? buildEnd)
    {
        var ending = await commit.RunAsync(run, ct => completion.SucceedAsync(success, buildEnd, ct));
        if (ending.Moved)
        {
            await FinishAsync(run, outcome, ending.Record);
        }
        return ending.Moved;
    }

    /// <summary>The build's row now (its source commit and version are set while preparing).</summary>
    public async Task<BuildRecord> CurrentAsync(BuildRun run) => await builds.GetAsync(run.BuildId, CancellationToken.None) ?? run.Build;

    /// <summary>
    /// The build-end record of the run's attempt for <paramref name="outcome"/>, its content fixed now. A record for a
    /// build that did not succeed lists no artifacts when they would not fit (nothing of them was published); one for a
    /// success is checked by the caller with <see cref="BuildEndRecords.Problem"/> before anything is published.
    /// </summary>
    public async Task<Func<long, string, AuditRecord>> ComposeEndAsync(BuildRun run, BuildOutcome outcome, CancellationToken cancellationToken)
    {
        var build = await builds.GetAsync(run.BuildId, cancellationToken) ?? run.Build;
        var facts = outcome.Plan is null ? new AuditFacts(null, []) : outcome.Plan.AuditFacts();
        var end = new BuildEndFacts(
            outcome.State switch { BuildState.Succeeded => AuditResult.Succeeded, BuildState.Cancelled => AuditResult.Cancelled, _ => AuditResult.Failed },
            outcome.FailedStage,
            run.Published ?? [.. (outcome.Result?.Artifacts ?? []).Select(a => new AuditArtifact(a.Name, a.Sha256))],
            outcome.Compile) { Provenance = outcome.State == BuildState.Succeeded ? outcome.Provenance?.Sha256 ?? "" : "" };
        var compose = await audit.ComposeBuildEndAsync(build, facts, end, cancellationToken);
        if (outcome.State != BuildState.Succeeded && end.Artifacts.Count > 0 && BuildEndRecords.Problem(compose) is { } problem)
        {
            await run.LogAsync($"audit: the build-end record lists none of the {end.Artifacts.Count} artifacts, which were not published: with them, {problem}");
            compose = await audit.ComposeBuildEndAsync(build, facts, end with { Artifacts = [] }, cancellationToken);
        }
        return compose;
    }

    /// <summary>
    /// The final transition and, for an audited attempt, its build-end record in one transaction (tried again on a
    /// database error), then the paperwork: failed, cancelled, or rejected by the pocket rules. Nothing happens when the build was no longer in the transition's from state.
    /// </summary>
    public async Task EndAsync(BuildRun run, StateChange transition, BuildOutcome outcome)
    {
        Func<long, string, AuditRecord>? buildEnd = null;
        // Asked of the chain too: a stage that lost track of its attempt's build-start record still closes the attempt.
        if (outcome.Audited || await audit.HasBuildStartAsync(run.BuildId, run.Build.Attempts, CancellationToken.None))
        {
            buildEnd = await ComposeEndAsync(run, outcome with { Audited = true }, CancellationToken.None);
            outcome = outcome with { Audited = true };
        }
        var ending = await commit.RunAsync(run, ct => builds.EndAsync(run.BuildId, run.Build.Attempts, transition, buildEnd, ct));
        if (ending.Moved)
        {
            await FinishAsync(run, outcome, ending.Record);
        }
    }

    /// <summary>Cancels the build now if a cancel request is pending (between stages).</summary>
    public async Task<bool> CancelIfRequestedAsync(BuildRun run, BuildState current, BuildOutcome outcome)
    {
        var now = await builds.GetAsync(run.BuildId, CancellationToken.None);
        if (now?.CancelRequestedAt is null)
        {
            return false;
        }
        await CancelAsync(run, current, outcome);
        return true;
    }

    /// <summary>
    /// A failure no stage handled (or a cancel request that cut through one): the build must not stay active under a
    /// live daemon, where no recovery would ever look at it. It ends failed at its current stage (or cancelled), with
    /// its build-end record when the attempt was audited.
    /// </summary>
    public async Task EndUnexpectedlyAsync(BuildRun run, Exception ex)
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
            await CancelAsync(run, now.State, BuildOutcome.Cancelled with { Audited = audited });
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
        await FailAsync(run, now.State, BuildOutcome.Failed(stage, $"internal error: {ex.Message}") with { Plan = plan, Audited = audited });
    }

    /// <summary>
    /// After the final transition: delivers the build-end record committed with it, then the notification and hooks.
    /// Runs on its own token: a daemon stopping now should still finish the paperwork of a finished build. None of it
    /// can change the build's result; a failed delivery is retried by the AuditRetry job.
    /// </summary>
    private async Task FinishAsync(BuildRun run, BuildOutcome outcome, StoredAuditRecord? record)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        var ct = cts.Token;
        var (state, failedStage, reason) = (outcome.State, outcome.FailedStage, outcome.Reason);
        await run.LogAsync($"build {run.BuildId} {BuildStates.Name(state)}{(failedStage is null ? "" : $" at stage {failedStage}")}{(reason is null ? "" : ": " + reason)}");
        if (await builds.StageTimingsAsync(run.BuildId, ct) is { IsEmpty: false } timings)
        {
            await run.LogAsync($"stages: {timings.Describe()}");
        }
        var build = await builds.GetAsync(run.BuildId, ct) ?? run.Build;
        if (record is not null)
        {
            try
            {
                var delivery = await audit.DeliverAsync(record, ct);
                await run.LogAsync(delivery.Accepted
                    ? $"audit: build-end record seq {delivery.Seq} accepted off-site"
                    : $"audit: build-end record seq {delivery.Seq} queued for delivery ({delivery.LastError})");
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                AuditLog.AuditFailed(logger, run.BuildId, ex);
                await run.LogAsync($"audit: the build-end record seq {record.Seq} is written; its delivery failed and is retried: {ex.Message}");
            }
        }

        await notifier.NotifyAsync(run, build, outcome, ct);
        var kind = state == BuildState.Succeeded ? HookKind.PostBuild : HookKind.FailedBuild;
        await hooks.RunAsync(kind, run, new HookFacts(BuildStates.Name(state), outcome.Plan) { FailedStage = failedStage, Result = outcome.Result, Current = build }, ct);
        Log.Finished(logger, run.BuildId, BuildStates.Name(state), failedStage);
    }

    private static partial class Log
    {
        [LoggerMessage(8503, LogLevel.Information, "Build {BuildId} finished: {State} {FailedStage}")]
        public static partial void Finished(ILogger logger, long buildId, string state, string? failedStage);

        [LoggerMessage(8505, LogLevel.Error, "Build {BuildId}: unexpected failure while {State}; the build fails")]
        public static partial void Unexpected(ILogger logger, long buildId, string state, Exception exception);
    }
}
