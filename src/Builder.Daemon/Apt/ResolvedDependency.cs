namespace Builder.Daemon.Apt;

/// <summary>
/// One .deb put on the job disk: what the guest installs, and what the audit record lists (name=version, where it
/// came from, the file's sha256). <paramref name="Origin"/> is <see cref="Builder.Core.Audit.AuditDependencyOrigin.Mirror"/> or
/// <c>pocket:&lt;name&gt;</c>: the first pocket source (the build's own pocket first) whose signed index lists exactly
/// this file, else the mirror (apt verified every file against one of the build's sources, and the mirror is the only
/// other one).
/// </summary>
internal sealed record ResolvedDependency(string Name, string Version, string Architecture, string FileName, long Size, string Sha256, string Origin);
