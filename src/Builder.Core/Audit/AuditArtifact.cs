namespace Builder.Core.Audit;

/// <summary>One <c>name sha256</c> pair of the <c>artifacts</c> line; <see cref="Sha256"/> is 64 lowercase hex digits.</summary>
public sealed record AuditArtifact(string Name, string Sha256);
