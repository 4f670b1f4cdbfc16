namespace Builder.Core.Audit;

/// <summary>
/// The <c>compile-jobs</c> line: how many compile jobs the gateway relayed and a digest over their log
/// (<c>sha256:&lt;hex&gt;</c>), so the farm's work is bound to the record without listing every job.
/// </summary>
public sealed record AuditCompileJobs(long Count, string Digest);
