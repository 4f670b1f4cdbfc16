using Builder.Core.Audit;

namespace Builder.Audit.Delivery;

/// <summary>What the pipeline knows about a build beyond its builds row when the build-start record is written.</summary>
/// <param name="Image">sha256:&lt;hex&gt; of the VM image manifest, or null while unknown.</param>
/// <param name="BuildDeps">The resolved build dependencies put on the job disk.</param>
public sealed record AuditFacts(string? Image, IReadOnlyList<AuditBuildDependency> BuildDeps);
