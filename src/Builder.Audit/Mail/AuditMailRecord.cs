namespace Builder.Audit.Mail;

/// <summary>
/// What an audit mail carries of a record in the chain: the record text verbatim and the fields its headers and
/// Message-ID are made of. The chain's storage is the daemon's concern; this project never reaches the database.
/// </summary>
public sealed record AuditMailRecord(long Seq, string Hash, string Record, long BuildId, string Event);
