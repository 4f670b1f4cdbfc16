namespace Builder.Store.Audit;

/// <summary>A row of audit_records: the record text and its delivery state. A checkpoint has no build (null).</summary>
public sealed record StoredAuditRecord(
    long Seq,
    string Prev,
    string Hash,
    string Record,
    long? BuildId,
    int? BuildAttempt,
    string Event,
    DateTimeOffset CreatedAt,
    string? MessageId,
    DateTimeOffset? AcceptedAt,
    int Attempts,
    DateTimeOffset NextAttemptAt,
    string? LastError,
    DateTimeOffset? HeldAt)
{
    public bool Accepted => MessageId is not null;

    public bool Held => HeldAt is not null;
}
