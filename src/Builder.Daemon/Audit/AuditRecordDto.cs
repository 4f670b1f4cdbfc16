using Builder.Store.Audit;

namespace Builder.Daemon.Audit;

/// <summary>
/// One record as <c>GET /api/v1/audit/records</c> lists it; <see cref="MessageId"/> is null until the record was accepted
/// off-site, <see cref="Build"/> null for a checkpoint.
/// </summary>
internal sealed record AuditRecordDto(long Seq, string Prev, string Hash, long? Build, string Event, string? MessageId, DateTimeOffset? AcceptedAt)
{
    public static AuditRecordDto Create(StoredAuditRecord r) => new(r.Seq, r.Prev, r.Hash, r.BuildId, r.Event, r.MessageId, r.AcceptedAt);
}
