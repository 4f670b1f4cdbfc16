namespace Builder.Sources.Packaging;

/// <summary>One file of a source package (.dsc or tarball) with its size and sha256 (lowercase hex).</summary>
public sealed record SourceArtifact(string Name, string Path, long Size, string Sha256);
