namespace Builder.Audit.Options;

/// <summary>The <c>Audit:Smtp</c> section: the off-site mail server audit records are handed to.</summary>
public sealed class AuditSmtpOptions
{
    public string Host { get; set; } = "";

    public int Port { get; set; } = 587;

    public SmtpTlsMode Tls { get; set; } = SmtpTlsMode.StartTls;

    /// <summary>
    /// Optional file with the SMTP user name on the first line and the password on the second. Read at each
    /// connection, never logged; keep it mode 0600 and owned by the daemon's user.
    /// </summary>
    public string? CredentialsFile { get; set; }

    /// <summary>Optional PEM CA certificate that signs the server's certificate, instead of the system trust store.</summary>
    public string? TrustedCaFile { get; set; }

    /// <summary>Limit on one delivery (connect, TLS, auth, send). A server that accepts TCP and never answers is a transient failure after this.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);
}
