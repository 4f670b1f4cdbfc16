using System.Globalization;

namespace Builder.Tests.Common.Audit;

/// <summary>The Audit section of a daemon configuration for a test's own loopback SMTP server (no TLS).</summary>
public static class AuditConfiguration
{
    /// <summary>Audit mail to two off-site mailboxes through 127.0.0.1:<paramref name="smtpPort"/>, signed with <paramref name="certificate"/>.</summary>
    public static Dictionary<string, string?> Loopback(int smtpPort, SigningCertificate certificate) => new()
    {
        ["Audit:Smtp:Host"] = "127.0.0.1",
        ["Audit:Smtp:Port"] = smtpPort.ToString(CultureInfo.InvariantCulture),
        ["Audit:Smtp:Tls"] = "None",
        ["Audit:From"] = "builder@builder.test",
        ["Audit:To:0"] = "audit-a@offsite.test",
        ["Audit:To:1"] = "audit-b@offsite.test",
        ["Audit:AlertTo:0"] = "admin@builder.test",
        ["Audit:SigningCertificateFile"] = certificate.CertificateFile,
        ["Audit:SigningKeyFile"] = certificate.KeyFile,
        ["Audit:HostName"] = "builder1.test",
    };
}
