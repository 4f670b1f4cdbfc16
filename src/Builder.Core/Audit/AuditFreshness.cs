namespace Builder.Core.Audit;

/// <summary>
/// How new the newest record must be (<c>audit verify --max-age</c>): the daemon writes a checkpoint every
/// Audit:CheckpointInterval, so a mailbox whose newest record is older than about twice that has gone silent.
/// </summary>
/// <param name="MaxAge">The largest age the newest record may have.</param>
/// <param name="Now">The verification time.</param>
public sealed record AuditFreshness(TimeSpan MaxAge, DateTimeOffset Now);
