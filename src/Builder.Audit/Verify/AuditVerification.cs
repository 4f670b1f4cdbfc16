using Builder.Core.Audit;

namespace Builder.Audit.Verify;

/// <summary>The result of <c>builder audit verify</c>: the chain report plus what the mailbox held.</summary>
/// <param name="Report">Findings over the audit mails; intact when empty.</param>
/// <param name="MailsRead">Every mail in the mailbox, audit or not.</param>
/// <param name="AuditMails">Mails that claimed to be audit records.</param>
/// <param name="SignerFingerprint">SHA-256 fingerprint of the certificate the records were signed with (hex), if any verified.</param>
public sealed record AuditVerification(AuditChainReport Report, int MailsRead, int AuditMails, string? SignerFingerprint);
