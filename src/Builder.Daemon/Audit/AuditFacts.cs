using Builder.Core.Audit;

namespace Builder.Daemon.Audit;

/// <summary>What the pipeline knows about a build beyond its builds row when the build-start record is written.</summary>
/// <param name="Image">sha256:&lt;hex&gt; of the VM image manifest, or null while unknown.</param>
/// <param name="BuildDeps">The resolved build dependencies put on the job disk, each with its origin and sha256.</param>
/// <param name="CopyOf">For a cross-pocket copy, the build copied and the seq of its build-end record; null for a build.</param>
internal sealed record AuditFacts(string? Image, IReadOnlyList<AuditBuildDependency> BuildDeps, AuditCopySource? CopyOf = null);
