namespace Builder.Audit.Options;

/// <summary>How the SMTP connection is protected (<c>Audit:Smtp:Tls</c>).</summary>
public enum SmtpTlsMode
{
    /// <summary>Plain SMTP. Only for a relay on loopback; SECURITY.md lists it as an insecure mode.</summary>
    None,

    /// <summary>Plain connect, then STARTTLS, which must succeed (submission port 587).</summary>
    StartTls,

    /// <summary>TLS from the first byte (port 465).</summary>
    Implicit,
}
