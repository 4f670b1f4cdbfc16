using System.Text;
using Builder.Core.Builds;
using Builder.Core.Text;
using Builder.Daemon.Pipeline.Copies;
using Builder.Store.Builds;
using Builder.Sources;
using Builder.Sources.Pockets;
using Builder.Vm.Images;

namespace Builder.Daemon.Pipeline;

internal sealed partial class BuildPipeline
{
    /// <summary>
    /// Sources and pocket rules, then either the cross-pocket copy (this commit already built elsewhere) or the build
    /// dependencies; ends in auditing with the plan on disk. Returns null when the build ended here.
    /// </summary>
    private async Task<BuildPlan?> PrepareAsync(BuildRun run)
    {
        var build = run.Build;
        var pocket = pockets.CurrentValue.GetValueOrDefault(build.Pocket);
        if (pocket is null)
        {
            await FailAsync(run, BuildState.Preparing, BuildStages.Preparing, $"pocket '{build.Pocket}' is no longer configured", null, audited: false);
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
                await run.LogAsync($"rejected: {violation.Reason}");
                if (violation is { CommitId: { } refusedCommit, Version: { } refusedVersion })
                {
                    // The build, its mail and its hooks name what was refused.
                    await builds.SetSourceAsync(build.Id, refusedCommit, refusedVersion, run.Token);
                }
                if (await builds.TransitionAsync(build.Id, BuildState.Preparing, BuildState.Rejected, null, UntrustedLines.Join(violation.Reason), null, run.Token))
                {
                    await FinishAsync(run, BuildState.Rejected, null, UntrustedLines.Join(violation.Reason), null, null, null, audited: false);
                }
                return null;
            }
            var source = (PreparedSource)prepared;
            var version = source.Changelog.Version.ToString();
            await builds.SetSourceAsync(build.Id, source.CommitId, version, run.Token);
            await run.LogAsync($"source {build.Package} {version} from commit {source.CommitId}: {source.Package.Dsc.Name} ({source.Package.Format})");

            var image = VmImage.Load(vmOptions.Value.ImageDirectory);
            var decision = CopyPolicy.Decide(build.Pocket, pocket, await copies.CandidatesAsync(build.Package, source.CommitId, build.Pocket, run.Token));
            foreach (var refusal in decision.Refusals)
            {
                await run.LogAsync($"commit {source.CommitId} succeeded elsewhere but is not copied from there: {refusal}");
            }
            IReadOnlyList<ResolvedDependency> deps = [];
            var debsDir = Path.Combine(run.WorkDirectory, "debs");
            if (decision.Source is { } copy)
            {
                await run.LogAsync($"commit {source.CommitId} already built successfully in {copy.Pocket} (build {copy.BuildId}, build-end record seq {copy.EndSeq}), with build-deps only from sources {build.Pocket} trusts: its binaries will be copied, not rebuilt");
            }
            else
            {
                if (decision.Refusals.Count > 0)
                {
                    await run.LogAsync($"building it in {build.Pocket}'s own VM from {build.Pocket}'s own sources");
                }
                if (Directory.Exists(debsDir))
                {
                    Directory.Delete(debsDir, recursive: true);
                }
                var status = WriteImageStatus(image, run.WorkDirectory);
                var (aptSources, note) = await pocketSources.ForAsync(build.Pocket, run.Token);
                if (note is not null)
                {
                    await run.LogAsync($"build-deps: {note}");
                }
                deps = await buildDeps.ResolveAsync(source.Package.Dsc.Path, status, aptSources, debsDir, run.Token);
                await run.LogAsync(deps.Count == 0
                    ? "build-deps: all in the image already"
                    : $"build-deps: {deps.Count} packages for the job disk: {string.Join(' ', deps.Select(d => $"{d.Name}={d.Version} ({d.Origin})"))}");
            }
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
            await PauseAsync(run, PausePoint.Prepared);
            if (!await builds.TransitionAsync(build.Id, BuildState.Preparing, BuildState.Auditing, null, null, "prepared; auditing", run.Token))
            {
                return null;
            }
            return plan;
        }
        catch (OperationCanceledException) when (run.CancelRequested)
        {
            await CancelAsync(run, BuildState.Preparing, audited: false);
            return null;
        }
        catch (Exception ex) when (ex is SourceException or BuildDepsException or InvalidDataException or FileNotFoundException or FormatException)
        {
            await run.LogAsync($"preparing failed: {ex.Message}");
            await FailAsync(run, BuildState.Preparing, BuildStages.Preparing, ex.Message, null, audited: false);
            return null;
        }
    }

    /// <summary>Manifest role of the guest's own /var/lib/dpkg/status, copied next to the image by ops/image/build-image.</summary>
    public const string ImageDpkgStatusRole = "dpkg-status";

    /// <summary>
    /// The dpkg status apt judges against: the guest's own (exact: Provides, Depends, Multi-Arch), or for an image made
    /// before that file was kept, one written from the manifest's package list.
    /// </summary>
    private static string WriteImageStatus(VmImage image, string directory)
    {
        if (image.FileFor(ImageDpkgStatusRole) is { } shipped)
        {
            return shipped.Path;
        }
        var sb = new StringBuilder();
        foreach (var p in image.Packages)
        {
            sb.Append("Package: ").Append(p.Name).Append('\n')
              .Append("Status: install ok installed\n")
              .Append("Architecture: ").Append(p.Architecture).Append('\n')
              .Append("Version: ").Append(p.Version).Append("\n\n");
        }
        var path = Path.Combine(directory, "image-status");
        File.WriteAllText(path, sb.ToString());
        return path;
    }
}
