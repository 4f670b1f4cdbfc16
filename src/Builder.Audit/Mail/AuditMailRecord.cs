namespace Builder.Audit.Mail;

/// <summary>
/// What an audit mail carries of a record in the chain: the record text verbatim and the fields its headers and
/// Message-ID are made of. The chain's storage is the daemon's concern; this project never reaches the database.
/// A checkpoint has no build (<see cref="BuildId"/> null).
/// </summary>
public sealed record AuditMailRecord(long Seq, string Hash, string Record, long? BuildId, string Event)
{
    /// <summary><c>build-start build 42</c>, or <c>checkpoint</c>.</summary>
    public string Subject => BuildId is { } b ? $"{Event} build {b}" : Event;
}
