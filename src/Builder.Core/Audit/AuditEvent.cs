namespace Builder.Core.Audit;

/// <summary>The <c>event</c> line of an audit record.</summary>
public enum AuditEvent
{
    /// <summary><c>build-start</c>: mailed and accepted before the VM boots.</summary>
    BuildStart,

    /// <summary><c>build-end</c>: the result, artifact hashes and compile-job digest.</summary>
    BuildEnd,
}
