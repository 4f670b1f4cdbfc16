namespace Builder.Daemon.Pipeline;

/// <summary>
/// One .deb put on the job disk: what the guest installs, and what the audit record lists (name=version, origin,
/// sha256). <see cref="Origin"/> is <c>mirror</c> or <c>pocket:&lt;pocket&gt;</c>, set when the build is prepared; null
/// in a plan an older builderd wrote.
/// </summary>
public sealed record ResolvedDependency(
    string Name, string Version, string Architecture, string FileName, long Size, string Sha256, string? Origin = null);
