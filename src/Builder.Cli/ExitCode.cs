namespace Builder.Cli;

/// <summary>
/// The builder command's exit codes. Stable: scripts depend on them. Listed in `builder --help` and README.
/// </summary>
internal enum ExitCode
{
    /// <summary>Success (for audit verify: the chain is intact).</summary>
    Ok = 0,
    /// <summary>The operation failed (e.g. acl check found errors).</summary>
    Failed = 1,
    /// <summary>Bad command line.</summary>
    Usage = 2,
    /// <summary>Configuration missing or invalid (server URL, principal, key).</summary>
    Config = 3,
    /// <summary>The server could not be reached.</summary>
    Unreachable = 4,
    /// <summary>ssh-keygen could not sign the request.</summary>
    SigningFailed = 5,
    /// <summary>400/413: the server found the request malformed or too large.</summary>
    Malformed = 10,
    /// <summary>401: bad signature or unknown key.</summary>
    Unauthorized = 11,
    /// <summary>403: not in the pocket's ACL, or the pocket's ACL is invalid.</summary>
    Forbidden = 12,
    /// <summary>404: unknown pocket, package or build.</summary>
    NotFound = 13,
    /// <summary>409: replayed nonce.</summary>
    Conflict = 14,
    /// <summary>422: refused by pocket policy (backtracking, version not newer).</summary>
    Policy = 15,
    /// <summary>5xx or an unexpected answer from the server.</summary>
    ServerError = 16,
    /// <summary>--wait: the build failed.</summary>
    BuildFailed = 20,
    /// <summary>--wait: the build was rejected by policy.</summary>
    BuildRejected = 21,
    /// <summary>--wait: the build was cancelled.</summary>
    BuildCancelled = 22,
    /// <summary>audit verify: the mailbox shows tampering (bad hash, signature, gap, fork, duplicate, reordering).</summary>
    AuditTampered = 30,
    /// <summary>audit verify: the mailbox could not be read or parsed.</summary>
    AuditUnreadable = 31,
    /// <summary>audit verify: the mailbox holds no audit record (a wiped mailbox must not read as intact).</summary>
    AuditEmpty = 32,
    /// <summary>provenance verify: no signature verifies with the certificate, or the envelope or statement is malformed.</summary>
    ProvenanceInvalid = 40,
    /// <summary>provenance verify: a given file is not a subject of the statement with its sha256.</summary>
    ProvenanceNotSubject = 41,
    /// <summary>provenance verify: the envelope, the certificate or a given file could not be read.</summary>
    ProvenanceUnreadable = 42,
}
