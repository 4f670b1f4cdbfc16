using Builder.Core.Audit;
using Builder.Core.Builds;
using Builder.Core.Debian;
using Builder.Daemon.Publishing;
using Builder.Sources;
using Builder.Vm;
using Builder.Vm.Output.Binaries;

namespace Builder.Daemon.Pipeline;

internal sealed partial class BuildPipeline
{
    /// <summary>
    /// reprepro (include or cross-pocket copy; both idempotent), the git tag (idempotent), then the pocket head and
    /// the success in one transaction. A crash anywhere here re-runs it all without publishing twice.
    /// </summary>
    private async Task PublishAsync(BuildRun run, BuildPlan plan, long auditSeq, VmRunResult? result, AuditCompileJobs? compile, BinaryCheckResult? check)
    {
        var build = run.Build;
        try
        {
            await EnsureRepositoryConfiguredAsync(run.Token);
            if (plan.Copy is { } copy)
            {
                var copied = await publisher.CopyAsync(copy.Pocket, build.Pocket, build.Package, plan.Version, run.Token);
                await run.LogAsync(copied
                    ? $"copied {build.Package} {plan.Version} from {copy.Pocket} (build {copy.BuildId})"
                    : $"{build.Package} {plan.Version} was already in {build.Pocket}");
                // The build-end record lists what the pocket now serves, hashed here, not what the source build returned.
                run.Published = await HashAsync(await publisher.PublishedFilesAsync(build.Pocket, build.Package, plan.Version, run.Token), run.Token);
                await run.LogAsync($"{build.Pocket} serves {string.Join(' ', run.Published.Select(a => $"{a.Name} sha256:{a.Sha256}"))}");
            }
            else
            {
                // Only the checked binaries; reprepro takes .deb and .udeb (a .ddeb stays in the build's artifacts).
                var accepted = check!.Accepted.Select(b => b.File).ToHashSet(StringComparer.Ordinal);
                var binaries = result!.Artifacts.Where(a => accepted.Contains(a.Name)).Select(a => a.Path)
                    .Where(p => p.EndsWith(".deb", StringComparison.Ordinal) || p.EndsWith(".udeb", StringComparison.Ordinal)).ToList();
                if (binaries.Count == 0)
                {
                    await FailAsync(run, BuildState.Publishing, BuildStages.Publishing, "the build produced no .deb", plan, audited: true, result, compile);
                    return;
                }
                var published = await publisher.PublishAsync(build.Pocket, build.Package, plan.Version, plan.DscPath, binaries, run.Token, plan.Section, plan.Priority);
                await run.LogAsync(published
                    ? $"published {build.Package} {plan.Version} to {publisher.DistributionOf(build.Pocket)}: {string.Join(' ', binaries.Select(Path.GetFileName))}"
                    : $"{build.Package} {plan.Version} was already published to {build.Pocket}");
            }
            await PauseAsync(run, PausePoint.Included);
            var tag = await tagger.TagAsync(build.Package, build.Pocket, DebianVersion.Parse(plan.Version), plan.CommitId, build.Id, auditSeq, run.Token);
            await run.LogAsync($"git tag {build.Pocket}/{plan.Version}: {tag}");
            if (!await completion.SucceedAsync(build.Id, build.Pocket, build.Package, plan.ExpectedHeadCommit, plan.CommitId, plan.Version,
                    $"{build.Pocket} now has {build.Package} {plan.Version}", run.Token))
            {
                await FailAsync(run, BuildState.Publishing, BuildStages.Publishing,
                    $"the {build.Pocket} head of {build.Package} moved while this build ran; it was not advanced", plan, audited: true, result, compile);
                return;
            }
            await FinishAsync(run, BuildState.Succeeded, null, null, plan, result, compile, audited: true);
        }
        catch (Exception ex) when (ex is PublishException or SourceException or IOException)
        {
            await run.LogAsync($"publishing failed: {ex.Message}");
            await FailAsync(run, BuildState.Publishing, BuildStages.Publishing, ex.Message, plan, audited: true, result, compile);
        }
    }

    private static async Task<IReadOnlyList<AuditArtifact>> HashAsync(IReadOnlyList<string> paths, CancellationToken cancellationToken)
    {
        var artifacts = new List<AuditArtifact>();
        foreach (var path in paths)
        {
            await using var stream = File.OpenRead(path);
            artifacts.Add(new AuditArtifact(Path.GetFileName(path), Convert.ToHexStringLower(await System.Security.Cryptography.SHA256.HashDataAsync(stream, cancellationToken))));
        }
        return artifacts;
    }

    private async Task EnsureRepositoryConfiguredAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.CompareExchange(ref _repositoryConfigured, 1, 0) == 0)
        {
            try
            {
                await publisher.ConfigureAsync(cancellationToken);
            }
            catch
            {
                _repositoryConfigured = 0;
                throw;
            }
        }
    }
}
