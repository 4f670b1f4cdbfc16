namespace Builder.Core.Audit;

/// <summary>
/// One audit record (DESIGN.md, "Audit record"). Its canonical text is produced and parsed only by
/// <see cref="AuditRecordFormat"/>; the record's identity is the sha256 of that text.
/// Fields the pipeline fills in later (commit, version, image, build-deps and the build-end fields) may be empty.
/// </summary>
public sealed record AuditRecord
{
    /// <summary>
    /// The <c>builder-audit N</c> the record is written in: <see cref="AuditRecordFormat.CurrentVersion"/> for a new
    /// record; a parsed record keeps the version it was read in, so it serializes to the same bytes.
    /// </summary>
    public int FormatVersion { get; init; } = AuditRecordFormat.CurrentVersion;

    public required long Seq { get; init; }

    /// <summary><c>sha256:&lt;hex&gt;</c> of the previous record's text, or <c>genesis</c> for seq 1.</summary>
    public required string Prev { get; init; }

    public required AuditEvent Event { get; init; }

    public required long Build { get; init; }

    public required string Pocket { get; init; }

    public required string Package { get; init; }

    /// <summary>40 lowercase hex digits, or empty.</summary>
    public string Commit { get; init; } = "";

    public string Version { get; init; } = "";

    public required string Requester { get; init; }

    /// <summary>The SHA256 fingerprint of the key that signed the request (<c>SHA256:…</c>).</summary>
    public required string Key { get; init; }

    /// <summary><c>sha256:&lt;hex&gt;</c> of the ACL tree in force when the request was accepted.</summary>
    public required string Acl { get; init; }

    /// <summary><c>sha256:&lt;hex&gt;</c> of the VM image manifest, or empty.</summary>
    public string Image { get; init; } = "";

    /// <summary>The builder host that wrote the record.</summary>
    public required string Host { get; init; }

    /// <summary>When the record was written, UTC, whole seconds.</summary>
    public required DateTimeOffset Time { get; init; }

    /// <summary>Version 2: each with origin and sha256; version 1: name and version only.</summary>
    public IReadOnlyList<AuditBuildDependency> BuildDeps { get; init; } = [];

    /// <summary>Version 2 only: the build a cross-pocket copy copies; null for a build (and always in version 1).</summary>
    public AuditCopySource? CopyOf { get; init; }

    /// <summary>The exact signed request text (carried base64-encoded).</summary>
    public required string Request { get; init; }

    /// <summary>The armored SSHSIG over <see cref="Request"/> (carried base64-encoded).</summary>
    public required string Signature { get; init; }

    /// <summary>
    /// Version 4, build-end only: <c>sha256:&lt;hex&gt;</c> of the signed provenance envelope's bytes as served, given only
    /// when the result is succeeded (and then may still be empty: a build published without provenance). Empty otherwise.
    /// </summary>
    public string Provenance { get; init; } = "";

    /// <summary>Build-end only (null for build-start).</summary>
    public AuditResult? Result { get; init; }

    /// <summary>Build-end only: the failed stage when <see cref="Result"/> is failed, else empty.</summary>
    public string FailedStage { get; init; } = "";

    /// <summary>Build-end only.</summary>
    public IReadOnlyList<AuditArtifact> Artifacts { get; init; } = [];

    /// <summary>Build-end only; null is written as an empty line.</summary>
    public AuditCompileJobs? CompileJobs { get; init; }

    /// <summary>
    /// A checkpoint record: certifies the head before it (seq − 1, hashing to <paramref name="prev"/>) at
    /// <paramref name="time"/>. It has no build; the build fields are blank and absent from its text.
    /// </summary>
    public static AuditRecord Checkpoint(long seq, string prev, string host, DateTimeOffset time) => new()
    {
        FormatVersion = AuditRecordFormat.CheckpointVersion,
        Seq = seq,
        Prev = prev,
        Event = AuditEvent.Checkpoint,
        Build = 0,
        Pocket = "",
        Package = "",
        Requester = "",
        Key = "",
        Acl = "",
        Host = host,
        Time = time,
        Request = "",
        Signature = "",
    };
}
