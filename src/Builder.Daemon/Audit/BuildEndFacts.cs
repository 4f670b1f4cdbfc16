using Builder.Core.Audit;

namespace Builder.Daemon.Audit;

/// <summary>The build-end fields: result, failed stage (exactly when failed), artifact hashes, compile-job count and digest.</summary>
internal sealed record BuildEndFacts(AuditResult Result, string? FailedStage, IReadOnlyList<AuditArtifact> Artifacts, AuditCompileJobs? CompileJobs);
