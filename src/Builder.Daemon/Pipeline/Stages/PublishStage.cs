using Builder.Core.Audit;
using Builder.Core.Builds;
using Builder.Core.Debian;
using Builder.Core.Provenance;
using Builder.Daemon.Apt;
using Builder.Daemon.Provenance;
using Builder.Sources;
using Builder.Sources.Tagging;
using Builder.Store.Builds;

namespace Builder.Daemon.Pipeline.Stages;

/// <summary>
/// Owns the publishing state: the provenance signed and the build-end record's content fixed (an output either cannot
/// cover is refused before anything is published), reprepro (include or cross-pocket copy; both idempotent), the git tag (idempotent), then the
/// pocket head, the build-end record and the success in one transaction. A crash anywhere here re-runs it all without publishing twice.
/// </summary>
internal sealed class PublishStage(RepositoryPublisher publisher, PocketTagger tagger, StagePauses pauses, FinishStage finish,
    ProvenanceFactsBuilder provenanceFacts, ProvenanceSigner provenanceSigner, TimeProvider time)
{
    private int _repositoryConfigured;

    /// <summary>A copy from another pocket: auditing → publishing, then the copy published.</summary>
    public async Task CopyAsync(BuildRun run, BuildPlan plan, Copies.CopySource copy, long auditSeq)
    {
        if (await run.TransitionAsync(new StateChange(BuildState.Auditing, BuildState.Publishing) { Message = $"copying build {copy.BuildId} from {copy.Pocket}" },
                run.Token))
        {
            await PublishAsync(run, plan, auditSeq, null);
        }
    }

    public async Task PublishAsync(BuildRun run, BuildPlan plan, long auditSeq, BuiltOutput? built)
    {
        var build = run.Build;
        BuildOutcome Failed(string reason) =>
            BuildOutcome.Failed(BuildStages.Publishing, reason) with { Plan = plan, Audited = true, Result = built?.Result, Compile = built?.Compile };
        try
        {
            await EnsureRepositoryConfiguredAsync(run.Token);
            if (plan.Copy is { } source)
            {
                // The build-end record lists what the pocket will serve, hashed here from the pocket it is copied from,
                // not what the source build returned.
                run.Published = await HashAsync(await publisher.PublishedFilesAsync(source.Pocket, build.Package, plan.Version, run.Token), run.Token);
            }
            // The provenance is signed, and the build-end record (naming its sha256) fixed, before anything is published:
            // an output either could not cover is refused here.
            if (await SignProvenanceAsync(run, plan, built) is not { } provenance)
            {
                return;
            }
            var success = new BuildOutcome(BuildState.Succeeded)
            {
                Plan = plan, Audited = true, Result = built?.Result, Compile = built?.Compile, Provenance = provenance,
            };
            var buildEnd = await finish.ComposeEndAsync(run, success, run.Token);
            if (BuildEndRecords.Problem(buildEnd) is { } problem)
            {
                await finish.FailAsync(run, BuildState.Publishing, Failed($"not published: its build-end audit record could not be written: {problem}"));
                return;
            }
            if (plan.Copy is { } copy)
            {
                var copied = await publisher.CopyAsync(copy.Pocket, build.Pocket, build.Package, plan.Version, run.Token);
                await run.LogAsync(copied
                    ? $"copied {build.Package} {plan.Version} from {copy.Pocket} (build {copy.BuildId})"
                    : $"{build.Package} {plan.Version} was already in {build.Pocket}");
                var served = await HashAsync(await publisher.PublishedFilesAsync(build.Pocket, build.Package, plan.Version, run.Token), run.Token);
                await run.LogAsync($"{build.Pocket} serves {string.Join(' ', served.Select(a => $"{a.Name} sha256:{a.Sha256}"))}");
                if (!served.OrderBy(a => a.Name, StringComparer.Ordinal).SequenceEqual(run.Published!.OrderBy(a => a.Name, StringComparer.Ordinal)))
                {
                    await finish.FailAsync(run, BuildState.Publishing, Failed($"{build.Pocket} does not serve the files {copy.Pocket} serves for {build.Package} {plan.Version}"));
                    return;
                }
            }
            else
            {
                // Only the checked binaries; reprepro takes .deb and .udeb (a .ddeb stays in the build's artifacts).
                var accepted = built!.Check.Accepted.Select(b => b.File).ToHashSet(StringComparer.Ordinal);
                var binaries = built.Result.Artifacts.Where(a => accepted.Contains(a.Name)).Select(a => a.Path)
                    .Where(p => p.EndsWith(".deb", StringComparison.Ordinal) || p.EndsWith(".udeb", StringComparison.Ordinal)).ToList();
                if (binaries.Count == 0)
                {
                    await finish.FailAsync(run, BuildState.Publishing, Failed("the build produced no .deb"));
                    return;
                }
                var published = await publisher.PublishAsync(build.Pocket, build.Package, plan.Version, plan.DscPath, binaries, run.Token, plan.Section, plan.Priority);
                await run.LogAsync(published
                    ? $"published {build.Package} {plan.Version} to {publisher.DistributionOf(build.Pocket)}: {string.Join(' ', binaries.Select(Path.GetFileName))}"
                    : $"{build.Package} {plan.Version} was already published to {build.Pocket}");
            }
            await pauses.PauseAsync(run, PausePoint.Included);
            var tag = await tagger.TagAsync(build.Package, build.Pocket, DebianVersion.Parse(plan.Version), plan.CommitId, build.Id, auditSeq, run.Token);
            await run.LogAsync($"git tag {build.Pocket}/{plan.Version}: {tag}");
            var committed = new BuildSuccess(build.Id, build.Attempts, build.Pocket, build.Package, plan.ExpectedHeadCommit, plan.CommitId, plan.Version,
                $"{build.Pocket} now has {build.Package} {plan.Version}")
            {
                ProvenanceEnvelope = provenance.Envelope,
                ProvenanceSha256 = provenance.Sha256,
            };
            if (!await finish.SucceedAsync(run, committed, success, buildEnd))
            {
                await finish.FailAsync(run, BuildState.Publishing, Failed($"the {build.Pocket} head of {build.Package} moved while this build ran; it was not advanced"));
            }
        }
        catch (Exception ex) when (ex is PublishException or SourceException or IOException)
        {
            await run.LogAsync($"publishing failed: {ex.Message}");
            await finish.FailAsync(run, BuildState.Publishing, Failed(ex.Message));
        }
    }

    /// <summary>
    /// The signed provenance of what is about to be published. Its subjects are the files the pocket will serve for the
    /// build: the checked binaries (.deb, .udeb) of a build, the source pocket's files of a copy. Null, with the build
    /// failed at publishing, when the statement cannot be made or signed.
    /// </summary>
    private async Task<SignedProvenance?> SignProvenanceAsync(BuildRun run, BuildPlan plan, BuiltOutput? built)
    {
        var build = run.Build;
        IReadOnlyList<AuditArtifact> subjects = run.Published ?? [.. built!.Result.Artifacts
            .Where(a => built.Check.Accepted.Any(b => b.File == a.Name) && (a.Name.EndsWith(".deb", StringComparison.Ordinal) || a.Name.EndsWith(".udeb", StringComparison.Ordinal)))
            .Select(a => new AuditArtifact(a.Name, a.Sha256))];
        try
        {
            var current = await finish.CurrentAsync(run);
            var facts = await provenanceFacts.BuildAsync(plan, current, subjects, current.StartedAt ?? time.GetUtcNow(), time.GetUtcNow(), run.Token);
            var signed = provenanceSigner.Sign(facts);
            await run.LogAsync($"provenance: {subjects.Count} subjects, envelope {signed.Sha256}");
            return signed;
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or ProvenanceException or IOException
            or System.Security.Cryptography.CryptographicException)
        {
            await finish.FailAsync(run, BuildState.Publishing, BuildOutcome.Failed(BuildStages.Publishing, $"not published: its provenance could not be signed: {ex.Message}")
                with { Plan = plan, Audited = true, Result = built?.Result, Compile = built?.Compile });
            return null;
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
