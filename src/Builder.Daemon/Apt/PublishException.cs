namespace Builder.Daemon.Apt;

/// <summary>reprepro refused or failed; the message keeps its own words.</summary>
internal sealed class PublishException(string message, Exception? innerException = null) : Exception(message, innerException);
