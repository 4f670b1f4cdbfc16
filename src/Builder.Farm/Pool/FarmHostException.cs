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

    public FarmHostException(string message, bool jobTimedOut) : base(message) => JobTimedOut = jobTimedOut;

    /// <summary>
    /// The host took the job but did not answer within Farm:JobTimeout. Such a job is not retried and does not count
    /// against the host: a compile bomb from one build must not take farm hosts down for every build.
    /// </summary>
    public bool JobTimedOut { get; }
}
