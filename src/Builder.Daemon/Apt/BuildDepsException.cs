namespace Builder.Daemon.Apt;

/// <summary>The build dependencies cannot be resolved or downloaded; the message carries apt's own explanation.</summary>
internal sealed class BuildDepsException(string message, Exception? innerException = null) : Exception(message, innerException);
