namespace Builder.Vm;

/// <summary>A file the build produced, extracted and checked on the host.</summary>
public sealed record VmArtifact(string Name, string Path, long Size, string Sha256);
