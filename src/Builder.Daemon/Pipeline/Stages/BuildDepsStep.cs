using System.Text;
using Builder.Core.Pockets;
using Builder.Daemon.Apt;
using Builder.Daemon.Pipeline.Copies;
using Builder.Sources;
using Builder.Vm;
using Builder.Vm.Images;
using Microsoft.Extensions.Options;

namespace Builder.Daemon.Pipeline.Stages;

/// <summary>
/// The part of preparing that decides what the build stands on: the cross-pocket copy (this commit already built
/// elsewhere, from sources this pocket trusts), or the build dependencies resolved against the image's dpkg status
/// and the pocket's apt sources, fetched for the job disk.
/// </summary>
internal sealed class BuildDepsStep(CopySourceFinder copies, PocketBuildDepSources pocketSources, BuildDepsResolver buildDeps, IOptions<VmOptions> vmOptions)
{
    /// <summary>Manifest role of the guest's own /var/lib/dpkg/status, copied next to the image by ops/image/build-image.</summary>
    public const string ImageDpkgStatusRole = "dpkg-status";

    public async Task<(CopyDecision Decision, IReadOnlyList<ResolvedDependency> Deps, string DebsDirectory, VmImage Image)> DecideAsync(
        BuildRun run, PocketOptions pocket, PreparedSource source)
    {
        var build = run.Build;
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
            return (decision, deps, debsDir, image);
        }
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
        return (decision, deps, debsDir, image);
    }

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
