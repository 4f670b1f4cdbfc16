namespace Builder.Core.Provenance;

/// <summary>A file named by its file name (no directory) and the SHA-256 of its bytes as 64 lowercase hex digits.</summary>
public sealed record ProvenanceFile(string Name, string Sha256);
