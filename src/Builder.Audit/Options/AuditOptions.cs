namespace Builder.Audit.Options;

/// <summary>The <c>Audit</c> section: where audit mail goes, how it is signed and how failed deliveries are retried.</summary>
public sealed class AuditOptions
{
    public const string Section = "Audit";

    public AuditSmtpOptions Smtp { get; set; } = new();

    /// <summary>Sender address of audit, alert and notification mail.</summary>
    public string From { get; set; } = "";

    /// <summary>The off-site audit mailboxes. A record counts as delivered only when the server accepted it for every one.</summary>
    public IList<string> To { get; } = [];

    /// <summary>Who hears about a permanent delivery failure (a held build).</summary>
    public IList<string> AlertTo { get; } = [];

    /// <summary>PEM certificate the audit mail is S/MIME-signed with; auditors verify with it (<c>builder audit verify --cert</c>).</summary>
    public string SigningCertificateFile { get; set; } = "";

    /// <summary>PEM private key of <see cref="SigningCertificateFile"/>.</summary>
    public string SigningKeyFile { get; set; } = "";

    /// <summary>The <c>host</c> field of the records; defaults to the machine name.</summary>
    public string HostName { get; set; } = "";

    /// <summary>Delay before the first retry; each further retry doubles it up to <see cref="RetryCap"/>.</summary>
    public TimeSpan RetryBase { get; set; } = TimeSpan.FromSeconds(30);

    public TimeSpan RetryCap { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>Up to this much random delay is added to each retry, so daemons do not retry in lockstep.</summary>
    public TimeSpan RetryJitter { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How often a checkpoint record is appended and mailed, idle or not (one for the cluster), so that an auditor's
    /// <c>builder audit verify --max-age</c> (twice this) tells a host gone silent or deleted mails. 00:01:00 to 1.00:00:00.
    /// </summary>
    public TimeSpan CheckpointInterval { get; set; } = DefaultCheckpointInterval;

    public static readonly TimeSpan DefaultCheckpointInterval = TimeSpan.FromHours(1);
}
