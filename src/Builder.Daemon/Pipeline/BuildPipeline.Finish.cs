using Builder.Audit.Notify;
using Builder.Core.Audit;
using Builder.Core.Builds;
using Builder.Core.Text;
using Builder.Daemon.Audit;
using Builder.Daemon.Hooks;
using Builder.Vm;

namespace Builder.Daemon.Pipeline;

internal sealed partial class BuildPipeline
{
    private async Task FailAsync(BuildRun run, BuildState from, string stage, string reason, BuildPlan? plan, bool audited,
        VmRunResult? result = null, AuditCompileJobs? compile = null)
    {
        // A reason may quote tool stderr or a console line (text the guest controls): it is stored, shown and mailed clean.
        reason = UntrustedLines.Join(reason);
        if (await builds.TransitionAsync(run.BuildId, from, BuildState.Failed, stage, reason, null, CancellationToken.None))
        {
            await FinishAsync(run, BuildState.Failed, stage, reason, plan, result, compile, audited);
        }
    }

    private async Task CancelAsync(BuildRun run, BuildState from, bool audited, AuditCompileJobs? compile = null)
    {
        await run.LogAsync("cancelled on request");
        if (await builds.TransitionAsync(run.BuildId, from, BuildState.Cancelled, null, "cancelled on request", null, CancellationToken.None))
        {
            await FinishAsync(run, BuildState.Cancelled, null, "cancelled on request", await BuildPlan.LoadAsync(run.WorkDirectory, CancellationToken.None),
                null, compile, audited);
        }
    }

    /// <summary>Cancels the build now if a cancel request is pending (between stages).</summary>
    private async Task<bool> CancelIfRequestedAsync(BuildRun run, BuildState current, bool audited)
    {
        var now = await builds.GetAsync(run.BuildId, CancellationToken.None);
        if (now?.CancelRequestedAt is null)
        {
            return false;
        }
        await CancelAsync(run, current, audited);
        return true;
    }

    /// <summary>
    /// After the final transition: the build-end audit record (when a start record exists), the notification mail and
    /// the post-build or failed-build hooks. None of these can change the build's result; their failures are logged.
    /// Runs on its own token: a daemon stopping now should still finish the paperwork of a finished build.
    /// </summary>
    private async Task FinishAsync(BuildRun run, BuildState state, string? failedStage, string? reason, BuildPlan? plan,
        VmRunResult? result, AuditCompileJobs? compile, bool audited)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        var ct = cts.Token;
        await run.LogAsync($"build {run.BuildId} {BuildStates.Name(state)}{(failedStage is null ? "" : $" at stage {failedStage}")}{(reason is null ? "" : ": " + reason)}");
        if (await builds.StageTimingsAsync(run.BuildId, ct) is { IsEmpty: false } timings)
        {
            await run.LogAsync($"stages: {timings.Describe()}");
        }
        var build = await builds.GetAsync(run.BuildId, ct) ?? run.Build;
        if (audited)
        {
            try
            {
                var end = new BuildEndFacts(
                    state switch { BuildState.Succeeded => AuditResult.Succeeded, BuildState.Cancelled => AuditResult.Cancelled, _ => AuditResult.Failed },
                    failedStage,
                    run.Published ?? [.. (result?.Artifacts ?? []).Select(a => new AuditArtifact(a.Name, a.Sha256))],
                    compile);
                var delivery = await audit.RecordBuildEndAsync(build, plan is null ? new AuditFacts(null, []) : Facts(plan), end, ct);
                await run.LogAsync(delivery.Accepted
                    ? $"audit: build-end record seq {delivery.Seq} accepted off-site"
                    : $"audit: build-end record seq {delivery.Seq} queued for delivery ({delivery.LastError})");
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                Log.AuditFailed(logger, run.BuildId, ex);
                await run.LogAsync($"audit: the build-end record could not be written: {ex.Message}");
            }
        }

        await NotifyAsync(run, build, state, failedStage, reason, ct);
        var kind = state == BuildState.Succeeded ? HookKind.PostBuild : HookKind.FailedBuild;
        await hooks.RunAsync(kind, HookContextFor(run, plan, BuildStates.Name(state), failedStage, result, build), run.Writer, ct);
        Log.Finished(logger, run.BuildId, BuildStates.Name(state), failedStage);
    }

    private async Task NotifyAsync(BuildRun run, Builder.Store.Builds.BuildRecord build, BuildState state, string? failedStage, string? reason, CancellationToken ct)
    {
        var recipients = new List<string>();
        if (options.Value.RequesterAddress is { Length: > 0 } template)
        {
            recipients.Add(template.Replace("{requester}", build.Requester, StringComparison.Ordinal));
        }
        recipients.AddRange(pockets.CurrentValue.GetValueOrDefault(build.Pocket)?.NotifyTo ?? []);
        if (recipients.Count == 0)
        {
            return;
        }
        try
        {
            await run.Writer.FlushAsync(ct);
            var log = await logs.ReadTailAsync(run.BuildId, NotificationComposer.MaxTailBytes, ct);
            var message = notifications.Compose(new BuildNotification(build.Id, build.Pocket, build.Package, build.Version, build.CommitId, state,
                failedStage, reason, recipients, log, links.BuildUrl(build.Id)));
            await mail.SendAsync(message, ct);
            await run.LogAsync($"notified {string.Join(", ", recipients)}");
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Log.NotifyFailed(logger, build.Id, ex);
            await run.LogAsync($"notification mail failed: {ex.Message}");
        }
    }

    private static partial class Log
    {
        [LoggerMessage(8501, LogLevel.Error, "Build {BuildId}: audit record failed")]
        public static partial void AuditFailed(ILogger logger, long buildId, Exception exception);

        [LoggerMessage(8502, LogLevel.Warning, "Build {BuildId}: notification mail failed")]
        public static partial void NotifyFailed(ILogger logger, long buildId, Exception exception);

        [LoggerMessage(8503, LogLevel.Information, "Build {BuildId} finished: {State} {FailedStage}")]
        public static partial void Finished(ILogger logger, long buildId, string state, string? failedStage);

        [LoggerMessage(8505, LogLevel.Error, "Build {BuildId}: unexpected failure while {State}; the build fails")]
        public static partial void Unexpected(ILogger logger, long buildId, string state, Exception exception);

        [LoggerMessage(8504, LogLevel.Warning, "TEST ONLY: build {BuildId} held at pause point {PausePoint}")]
        public static partial void TestPause(ILogger logger, long buildId, string pausePoint);
    }
}
