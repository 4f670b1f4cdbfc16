namespace Builder.Audit.Mail;

/// <summary>
/// Headers of audit mail. They only help find and name records (a mail too damaged to parse is still named by
/// its seq); they are not signed, so the verifier trusts the signed record, never these.
/// </summary>
internal static class AuditHeaders
{
    public const string Marker = "X-Builder-Audit";
    public const string Seq = "X-Builder-Audit-Seq";
    public const string Hash = "X-Builder-Audit-Hash";
    public const string Build = "X-Builder-Audit-Build";
}
