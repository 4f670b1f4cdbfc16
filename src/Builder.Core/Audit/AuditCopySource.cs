namespace Builder.Core.Audit;

/// <summary>
/// The <c>copy-of</c> line of a cross-pocket copy (<c>builder-audit 2</c>): the build whose binaries were copied and
/// the seq of that build's build-end record, so the copy names the exact record that vouches for what it publishes.
/// </summary>
public sealed record AuditCopySource(long Build, long Seq);
