using Builder.Daemon.Audit;
using Builder.Core.Builds;
using Builder.Store.Builds;

namespace Builder.Daemon.Pipeline.Stages;

/// <summary>
/// Owns the auditing state: a build goes on only once its build-start record was accepted off-site. A build whose
/// record is not accepted yet waits here (the AuditRetry job resumes it); a resumed build needs its plan on disk.
/// </summary>
internal sealed class AuditGate(BuildRepository builds, AuditTrail audit, FinishStage finish, StagePauses pauses, ILogger<AuditGate> logger)
{
    /// <summary>The plan a resumed build continues with; null when it is gone (the build then failed here).</summary>
    public async Task<BuildPlan?> LoadPlanAsync(BuildRun run)
    {
        var plan = await BuildPlan.LoadAsync(run.WorkDirectory, run.Token);
        if (plan is not null)
        {
            return plan;
        }
        var old = BuildPlan.ExistsIn(run.WorkDirectory);
        await run.LogAsync(old
            ? "the build's plan was written by an older builderd (without build-dep origins or declared binaries); it cannot resume"
            : "the build's plan is gone (its work directory was removed or is on another host); it cannot resume");
        await finish.FailAsync(run, BuildState.Auditing, BuildOutcome.Failed(BuildStages.Auditing,
                old ? "prepared by an older builderd; submit it again" : "the prepared build was lost before its audit record was accepted")
            with { Audited = await audit.HasBuildStartAsync(run.BuildId, run.Build.Attempts, run.Token) });
        return null;
    }

    /// <summary>The accepted build-start record's seq; null when the build waits (or was cancelled) here.</summary>
    public async Task<long?> PassAsync(BuildRun run, BuildPlan plan)
    {
        var build = await builds.GetAsync(run.BuildId, run.Token) ?? throw new InvalidOperationException($"build {run.BuildId} vanished");
        if (await finish.CancelIfRequestedAsync(run, build.State, BuildOutcome.Cancelled))
        {
            return null;
        }
        AuditDelivery delivery;
        try
        {
            delivery = await audit.EnsureAuditedAsync(build, plan.AuditFacts(), run.Token);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // A broken chain or database: the build waits in auditing; the retry job and the operator's alert take it from here.
            await run.LogAsync($"audit: the build-start record could not be written or sent: {ex.Message}");
            AuditLog.AuditFailed(logger, run.BuildId, ex);
            return null;
        }
        if (!delivery.Accepted)
        {
            await run.LogAsync($"audit: build-start record seq {delivery.Seq} not accepted yet ({delivery.LastError}); the build waits, next attempt {delivery.NextAttemptAt:u}");
            return null;
        }
        await run.LogAsync($"audit: build-start record seq {delivery.Seq} accepted off-site (Message-ID {delivery.MessageId})");
        await pauses.PauseAsync(run, PausePoint.Audited);
        return delivery.Seq;
    }
}
