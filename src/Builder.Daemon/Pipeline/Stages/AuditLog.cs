namespace Builder.Daemon.Pipeline.Stages;

/// <summary>The one message of the audit gate and the finish stage alike (event ids are unique across the daemon).</summary>
internal static partial class AuditLog
{
    [LoggerMessage(8501, LogLevel.Error, "Build {BuildId}: audit record failed")]
    public static partial void AuditFailed(ILogger logger, long buildId, Exception exception);
}
