namespace Builder.Audit.Verify;

/// <summary>What <c>builder audit verify</c> checks against.</summary>
/// <param name="CertificateFile">PEM certificate every record must be signed with; null accepts any one certificate, used consistently.</param>
/// <param name="FromSeq">Ignore records before this seq (an archive split by time).</param>
/// <param name="Against">The daemon's base URL; its records are compared with the mailbox.</param>
/// <param name="MaxAge">The newest record must be at most this old at verification time; null does not ask.</param>
public sealed record AuditVerifyOptions(string? CertificateFile = null, long FromSeq = 1, Uri? Against = null, TimeSpan? MaxAge = null);
