namespace Builder.Core.Audit;

/// <summary>
/// One entry of the <c>build-deps</c> line. In <c>builder-audit 2</c> an entry is <c>name=version origin sha256</c>:
/// where the .deb came from (<see cref="AuditDependencyOrigin"/>) and the sha256 of its bytes (64 lowercase hex
/// digits), both required. A <c>builder-audit 1</c> entry is <c>name=version</c> only; both are null there.
/// </summary>
public sealed record AuditBuildDependency(string Name, string Version, string? Origin = null, string? Sha256 = null);
