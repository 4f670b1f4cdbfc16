using Builder.Daemon.Hooks;
using Builder.Daemon.Hosting;

namespace Builder.Daemon.Pipeline.Stages;

/// <summary>Runs a build's hooks with the context they are given (its ids, commit, state, log and artifacts, its page).</summary>
internal sealed class BuildHooks(HookRunner hooks, PublicBaseUrl links)
{
    // current: the build as stored now; its commit and version stand in when there is no plan (a rejected build).
    public Task RunAsync(HookKind kind, BuildRun run, HookFacts context, CancellationToken cancellationToken) =>
        hooks.RunAsync(kind, new HookContext(run.BuildId, run.Build.Pocket, run.Build.Package, context.Plan?.CommitId ?? context.Current?.CommitId,
            context.Plan?.Version ?? context.Current?.Version, run.Build.Requester, context.State, context.FailedStage, run.LogPath,
            context.Result is null ? null : Path.Combine(context.Result.Directory, "artifacts"), links.BuildUrl(run.BuildId).ToString()),
            run.Writer, cancellationToken);
}
