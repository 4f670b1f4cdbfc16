using Microsoft.Extensions.Logging;

namespace Builder.Daemon.Audit;

internal sealed partial class AuditTrail
{
    // Event ids 8001-8099: audit delivery (8101+: the AuditRetry job in the daemon).
    private static partial class Log
    {
        [LoggerMessage(3001, LogLevel.Information, "Audit record seq {Seq} of build {BuildId} accepted as <{MessageId}>")]
        public static partial void Accepted(ILogger logger, long seq, long? buildId, string messageId);

        [LoggerMessage(3002, LogLevel.Warning, "Audit record seq {Seq} of build {BuildId}: delivery attempt {Attempts} failed: {Error}; next attempt at {Next}")]
        public static partial void DeliveryFailed(ILogger logger, long seq, long? buildId, int attempts, string error, DateTimeOffset next);

        [LoggerMessage(3003, LogLevel.Error, "Audit record seq {Seq} of build {BuildId} permanently refused after {Attempts} attempts: {Error}; held")]
        public static partial void DeliveryHeld(ILogger logger, long seq, long? buildId, int attempts, string error);

        [LoggerMessage(8004, LogLevel.Error, "Alert about held audit record seq {Seq} could not be sent: {Error}")]
        public static partial void AlertFailed(ILogger logger, long seq, string error);
    }
}
