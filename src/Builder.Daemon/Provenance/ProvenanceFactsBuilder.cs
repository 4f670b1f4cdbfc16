using System.Security.Cryptography;
using Builder.Audit.Mail;
using Builder.Audit.Options;
using Builder.Core.Audit;
using Builder.Core.Provenance;
using Builder.Daemon.Pipeline;
using Builder.Store.Builds;
using Microsoft.Extensions.Options;

namespace Builder.Daemon.Provenance;

/// <summary>
/// Gathers a published build's provenance facts from what the pipeline has: its plan (source files, build-deps, image;
/// for a copy those of the copied build, exactly as its audit records say), its row (request, requester, attempt) and the
/// published files. The same sources as the audit records, so the statement and the build-end record agree.
/// </summary>
internal sealed class ProvenanceFactsBuilder(IOptions<AuditOptions> options)
{
    /// <param name="plan">the build's plan, as saved before its audit record.</param>
    /// <param name="build">the build's row (its <see cref="BuildRecord.Attempts"/> is the attempt published).</param>
    /// <param name="published">the files put into the pocket with their sha256: the build-end record's artifacts.</param>
    /// <param name="startedOn">when the attempt started.</param>
    /// <param name="finishedOn">when it was published.</param>
    /// <param name="cancellationToken">cancels hashing the source files.</param>
    /// <exception cref="IOException">a source file of the plan cannot be read.</exception>
    public async Task<ProvenanceFacts> BuildAsync(BuildPlan plan, BuildRecord build, IReadOnlyList<AuditArtifact> published,
        DateTimeOffset startedOn, DateTimeOffset finishedOn, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(build);
        ArgumentNullException.ThrowIfNull(published);
        var audit = plan.AuditFacts();
        var sources = new List<ProvenanceFile>(plan.SourceFiles.Count);
        foreach (var path in plan.SourceFiles)
        {
            await using var stream = File.OpenRead(path);
            sources.Add(new ProvenanceFile(Path.GetFileName(path), Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, cancellationToken))));
        }
        return new ProvenanceFacts
        {
            Subjects = [.. published.Select(a => new ProvenanceFile(a.Name, a.Sha256))],
            Host = AuditHost.Name(options.Value),
            ImageSha256 = ImageHex(audit.Image),
            Request = new ProvenanceRequest(build.Pocket, build.Package, build.CommitId ?? plan.CommitId, build.Requester, build.Request, build.Signature),
            SourceFiles = sources,
            BuildDeps = [.. audit.BuildDeps.Select(d => new ProvenanceBuildDependency(d.Name, d.Version,
                d.Origin ?? throw NoOrigin(build.Id, d), d.Sha256 ?? throw NoOrigin(build.Id, d)))],
            CopyOf = audit.CopyOf,
            BuildId = build.Id,
            Attempt = build.Attempts,
            StartedOn = startedOn,
            FinishedOn = finishedOn,
        };
    }

    /// <summary>The audit facts carry the image as <c>sha256:&lt;hex&gt;</c>; the statement wants the hex digest.</summary>
    private static string ImageHex(string? image) =>
        string.IsNullOrEmpty(image) ? "" : image.StartsWith("sha256:", StringComparison.Ordinal) ? image["sha256:".Length..] : image;

    // A copy source without origins is refused by CopyPolicy; a plan that has one anyway must not be signed as if it did.
    private static InvalidOperationException NoOrigin(long buildId, AuditBuildDependency d) =>
        new($"provenance of build {buildId}: build-dep {d.Name}={d.Version} has no origin or sha256");
}
