namespace Builder.Core.Audit;

/// <summary>One <c>name=version</c> token of the <c>build-deps</c> line.</summary>
public sealed record AuditBuildDependency(string Name, string Version);
