using System.Text;
using Builder.Core.Audit;
using Builder.Core.Builds;
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
                if (await builds.TransitionAsync(build.Id, BuildState.Preparing, BuildState.Rejected, null, violation.Reason, null, run.Token))
                {
                    await FinishAsync(run, BuildState.Rejected, null, violation.Reason, null, null, null, audited: false);
                }
                return null;
            }
            var source = (PreparedSource)prepared;
            var version = source.Changelog.Version.ToString();
            await builds.SetSourceAsync(build.Id, source.CommitId, version, run.Token);
            await run.LogAsync($"source {build.Package} {version} from commit {source.CommitId}: {source.Package.Dsc.Name} ({source.Package.Format})");

            var image = VmImage.Load(vmOptions.Value.ImageDirectory);
            var elsewhere = await heads.FindSucceededElsewhereAsync(build.Package, source.CommitId, build.Pocket, run.Token);
            var copyFrom = elsewhere.Count > 0 ? elsewhere[0].Pocket : null;
            IReadOnlyList<ResolvedDependency> deps = [];
            var debsDir = Path.Combine(run.WorkDirectory, "debs");
            if (copyFrom is not null)
            {
                await run.LogAsync($"commit {source.CommitId} already built successfully in {copyFrom} (build {elsewhere[0].BuildId}): its binaries will be copied, not rebuilt");
            }
            else
            {
                if (Directory.Exists(debsDir))
                {
                    Directory.Delete(debsDir, recursive: true);
                }
                var status = WriteImageStatus(image, run.WorkDirectory);
                // Read before and after apt reads it: a publish meanwhile may drop an old version from the pocket's
                // index, and a .deb apt took from the pocket must not pass for the mirror's.
                var inPocket = publisher.PublishedDebSha256s(build.Pocket);
                deps = await buildDeps.ResolveAsync(source.Package.Dsc.Path, status, PocketAptSources(build.Pocket), debsDir, run.Token);
                inPocket.UnionWith(publisher.PublishedDebSha256s(build.Pocket));
                deps = WithOrigins(deps, build.Pocket, inPocket);
                await run.LogAsync(deps.Count == 0
                    ? "build-deps: all in the image already"
                    : $"build-deps: {deps.Count} packages for the job disk: {string.Join(' ', deps.Select(d => $"{d.Name}={d.Version}"))}");
            }

            var plan = new BuildPlan(source.CommitId, version, head?.CommitId, source.Package.Dsc.Path,
                [source.Package.Dsc.Path, .. source.Package.Files.Select(f => f.Path)], deps, debsDir, image.ManifestSha256, copyFrom,
                // A .dsc carries no section or priority; the archive-wide defaults serve (reprepro needs some).
                "misc", "optional");
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

    /// <summary>
    /// The pocket's own repository and the mirror are the only APT sources (<see cref="PocketAptSources"/>): a .deb
    /// whose bytes the pocket lists came from the pocket, any other from the mirror.
    /// </summary>
    private static IReadOnlyList<ResolvedDependency> WithOrigins(IReadOnlyList<ResolvedDependency> deps, string pocket, HashSet<string> inPocket) =>
        [.. deps.Select(d => d with { Origin = inPocket.Contains(d.Sha256) ? AuditDependencyOrigin.Pocket(pocket) : AuditDependencyOrigin.Mirror })];

    /// <summary>The pocket's own repository as an APT source, so packages built into the pocket satisfy later builds.</summary>
    private IReadOnlyList<string> PocketAptSources(string pocket)
    {
        var baseDir = publisher.BaseDirectory;
        var dist = publisher.DistributionOf(pocket);
        return File.Exists(Path.Combine(baseDir, "dists", dist, "Release")) ? [BuildDepsResolver.LocalRepositorySource(baseDir, dist)] : [];
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
