namespace Builder.Core.Audit;

/// <summary>
/// One audit mail as an auditor's tool found it, in mailbox (arrival) order. The mail layer fills it in:
/// the parsed record or why not, and whether the signature verified.
/// </summary>
/// <param name="Source">Where the mail is (file name, or "mbox message 7"), for messages.</param>
/// <param name="SeqHint">The seq the mail's headers claim; used when the record itself is unreadable.</param>
/// <param name="Record">The parsed record, null when <paramref name="Error"/> says why not.</param>
/// <param name="Hash">sha256 of the record bytes carried (null when unreadable).</param>
/// <param name="AnnouncedHash">The hash the mail's header announces, if any.</param>
/// <param name="Error">Why the record could not be read.</param>
/// <param name="SignatureError">Why the signature did not verify; null when it did.</param>
/// <param name="MessageId">The mail's Message-ID.</param>
public sealed record AuditObservation(
    string Source,
    long? SeqHint,
    AuditRecord? Record,
    string? Hash,
    string? AnnouncedHash,
    string? Error,
    string? SignatureError,
    string? MessageId);
