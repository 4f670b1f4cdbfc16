namespace Builder.Core.Provenance;

/// <summary>A provenance envelope or statement that is malformed, or whose signature does not verify; the message says exactly why.</summary>
public sealed class ProvenanceException : Exception
{
    public ProvenanceException()
    {
    }

    public ProvenanceException(string message)
        : base(message)
    {
    }

    public ProvenanceException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
