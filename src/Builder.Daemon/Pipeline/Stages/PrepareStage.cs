using Builder.Core.Builds;
using Builder.Core.Text;
using Builder.Daemon.Apt;
using Builder.Daemon.Hosting;
using Builder.Sources;
using Builder.Sources.Pockets;
using Builder.Store.Builds;
using Builder.Store.Sources;
using Microsoft.Extensions.Options;

namespace Builder.Daemon.Pipeline.Stages;

/// <summary>
/// Owns the preparing state: sources and pocket rules (a violation rejects the build), then the copy decision or
/// the build dependencies (<see cref="BuildDepsStep"/>); ends in auditing with the plan on disk.
/// </summary>
internal sealed class PrepareStage(BuildRepository builds, PocketHeadRepository heads, PackageSources sources, IOptionsMonitor<PocketsOptions> pockets,
    BuildDepsStep dependencies, StagePauses pauses, FinishStage finish)
{
    /// <summary>The plan, with the build moved to auditing; null when the build ended here.</summary>
    public async Task<BuildPlan?> RunAsync(BuildRun run)
    {
        var build = run.Build;
        var pocket = pockets.CurrentValue.GetValueOrDefault(build.Pocket);
        if (pocket is null)
        {
            await finish.FailAsync(run, BuildState.Preparing, BuildOutcome.Failed(BuildStages.Preparing, $"pocket '{build.Pocket}' is no longer configured"));
            return null;
        }
        await run.LogAsync($"preparing {build.Pocket}/{build.Package}{(build.RequestedCommit is null ? $" (head of {pocket.Branch})" : " at " + build.RequestedCommit)}");
        try
        {
            var head = await heads.GetAsync(build.Pocket, build.Package, run.Token);
            var headState = head is null ? null : new PocketHeadState(head.CommitId, Builder.Core.Debian.DebianVersion.Parse(head.Version));
            var sourceDir = Path.Combine(run.WorkDirectory, "source");
            if (Directory.Exists(sourceDir))
            {
                // Left by an interrupted earlier attempt: start clean.
                Directory.Delete(sourceDir, recursive: true);
            }
            var prepared = await sources.PrepareAsync(new SourceRequest(build.Id, build.Pocket, pocket, build.Package, build.RequestedCommit, headState, sourceDir), run.Token);
            if (prepared is PolicyViolation violation)
            {
                await RejectAsync(run, violation);
                return null;
            }
            var source = (PreparedSource)prepared;
            var version = source.Changelog.Version.ToString();
            await builds.SetSourceAsync(build.Id, source.CommitId, version, run.Token);
            await run.LogAsync($"source {build.Package} {version} from commit {source.CommitId}: {source.Package.Dsc.Name} ({source.Package.Format})");

            var (decision, deps, debsDir, image) = await dependencies.DecideAsync(run, pocket, source);
            await builds.SetBuildDependenciesAsync(build.Id, build.Attempts,
                decision.Source is { } from
                    ? [.. from.BuildDeps.Select(d => new BuildDependencyRecord(d.Name, d.Version, null, d.Origin!, d.Sha256!))]
                    : [.. deps.Select(d => new BuildDependencyRecord(d.Name, d.Version, d.Architecture, d.Origin, d.Sha256))],
                run.Token);

            var plan = new BuildPlan(source.CommitId, version, head?.CommitId, source.Package.Dsc.Path,
                [source.Package.Dsc.Path, .. source.Package.Files.Select(f => f.Path)], deps, debsDir, image.ManifestSha256, decision.Source,
                // A .dsc carries no section or priority; the archive-wide defaults serve (reprepro needs some).
                "misc", "optional", source.Control.Binaries);
            await plan.SaveAsync(run.WorkDirectory, run.Token);
            await pauses.PauseAsync(run, PausePoint.Prepared);
            if (!await run.TransitionAsync(new StateChange(BuildState.Preparing, BuildState.Auditing) { Message = "prepared; auditing" }, run.Token))
            {
                return null;
            }
            return plan;
        }
        catch (OperationCanceledException) when (run.CancelRequested)
        {
            await finish.CancelAsync(run, BuildState.Preparing, BuildOutcome.Cancelled);
            return null;
        }
        catch (Exception ex) when (ex is SourceException or BuildDepsException or InvalidDataException or FileNotFoundException or FormatException)
        {
            await run.LogAsync($"preparing failed: {ex.Message}");
            await finish.FailAsync(run, BuildState.Preparing, BuildOutcome.Failed(BuildStages.Preparing, ex.Message));
            return null;
        }
    }

    private async Task RejectAsync(BuildRun run, PolicyViolation violation)
    {
        await run.LogAsync($"rejected: {violation.Reason}");
        if (violation is { CommitId: { } refusedCommit, Version: { } refusedVersion })
        {
            // The build, its mail and its hooks name what was refused.
            await builds.SetSourceAsync(run.BuildId, refusedCommit, refusedVersion, run.Token);
        }
        var reason = UntrustedLines.Join(violation.Reason);
        await finish.EndAsync(run, new StateChange(BuildState.Preparing, BuildState.Rejected) { Reason = reason }, new BuildOutcome(BuildState.Rejected) { Reason = reason });
    }
}
