namespace Builder.Farm.Pool;

/// <summary>A farm host did not deliver a complete answer; the job may be retried on another host.</summary>
internal sealed class FarmHostException : Exception
{
    public FarmHostException()
    {
    }

    public FarmHostException(string message) : base(message)
    {
    }

    public FarmHostException(string message, Exception innerException) : base(message, innerException)
    {
    }
}
