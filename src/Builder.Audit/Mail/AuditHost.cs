using Builder.Audit.Options;

namespace Builder.Audit.Mail;

/// <summary>The host name that audit records and their Message-IDs carry.</summary>
public static class AuditHost
{
    /// <summary>The configured host name, else the machine name, lowercased as the record's host field wants it.</summary>
    public static string Name(AuditOptions options) =>
        (string.IsNullOrWhiteSpace(options.HostName) ? Environment.MachineName : options.HostName).ToLowerInvariant();
}
