namespace Builder.Audit.Verify;

/// <summary>The mailbox (or the server given with --against) could not be read at all: "unreadable", not "tampered".</summary>
public sealed class AuditMailboxException : Exception
{
    public AuditMailboxException()
    {
    }

    public AuditMailboxException(string message) : base(message)
    {
    }

    public AuditMailboxException(string message, Exception innerException) : base(message, innerException)
    {
    }
}
