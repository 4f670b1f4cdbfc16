using Builder.Core.Audit;

namespace Builder.Daemon.Audit;

/// <summary>
/// The build-end fields: result, failed stage (exactly when failed), artifact hashes, compile-job count and digest, and
/// for a success the sha256 of its signed provenance envelope (<c>sha256:&lt;hex&gt;</c>; empty otherwise).
/// </summary>
internal sealed record BuildEndFacts(AuditResult Result, string? FailedStage, IReadOnlyList<AuditArtifact> Artifacts, AuditCompileJobs? CompileJobs)
{
    public string Provenance { get; init; } = "";
}
