namespace Builder.Daemon.Pipeline;

/// <summary>One .deb put on the job disk: what the guest installs, and what the audit record lists (name=version).</summary>
public sealed record ResolvedDependency(string Name, string Version, string Architecture, string FileName, long Size, string Sha256);
