namespace Builder.Farm.Protocol;

/// <summary>
/// A stream that is not exactly valid distcc protocol. <see cref="Version"/> is the client's protocol when its DIST
/// header was valid, so the gateway can still answer in that version; null means the gateway just closes.
/// </summary>
internal sealed class ProtocolException : Exception
{
    public ProtocolException()
    {
    }

    public ProtocolException(string message) : base(message)
    {
    }

    public ProtocolException(string message, Exception innerException) : base(message, innerException)
    {
    }

    public ProtocolException(string message, ProtocolVersion? version) : base(message) => Version = version;

    public ProtocolVersion? Version { get; }
}
