namespace Builder.Cli.Provenance;

/// <summary>The envelope, the certificate or a given file could not be read (exit 42), as opposed to read and found bad.</summary>
internal sealed class ProvenanceUnreadableException : Exception
{
    public ProvenanceUnreadableException()
    {
    }

    public ProvenanceUnreadableException(string message)
        : base(message)
    {
    }

    public ProvenanceUnreadableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
