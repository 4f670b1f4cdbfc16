namespace Builder.Core.Audit;

/// <summary>The <c>event</c> line of an audit record.</summary>
public enum AuditEvent
{
    /// <summary><c>build-start</c>: mailed and accepted before the VM boots.</summary>
    BuildStart,

    /// <summary><c>build-end</c>: the result, artifact hashes and compile-job digest.</summary>
    BuildEnd,

    /// <summary>
    /// <c>checkpoint</c> (<c>builder-audit 3</c> only): no build; certifies the chain head before it (seq − 1, whose
    /// hash is its prev) at its time, so an auditor can tell a silent host or a truncated mailbox by the newest time.
    /// </summary>
    Checkpoint,
}
