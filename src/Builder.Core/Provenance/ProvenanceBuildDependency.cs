namespace Builder.Core.Provenance;

/// <summary>
/// A build-dep put on the job disk: package name, version, where the .deb came from (<c>mirror</c> or
/// <c>pocket:&lt;pocket&gt;</c>, as in the audit record) and the SHA-256 of the .deb as 64 lowercase hex digits.
/// </summary>
public sealed record ProvenanceBuildDependency(string Name, string Version, string Origin, string Sha256);
