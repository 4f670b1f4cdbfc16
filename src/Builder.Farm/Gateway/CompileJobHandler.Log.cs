using Microsoft.Extensions.Logging;

namespace Builder.Farm.Gateway;

internal sealed partial class CompileJobHandler
{
    private static partial class Log
    {
        [LoggerMessage(EventId = 6011, Level = LogLevel.Warning, Message = "Build {BuildId}: compile job refused: {Reason}")]
        public static partial void Refused(ILogger logger, long buildId, string reason);

        [LoggerMessage(EventId = 6012, Level = LogLevel.Warning, Message = "Build {BuildId}: malformed compile job: {Reason}")]
        public static partial void Malformed(ILogger logger, long buildId, string reason);

        [LoggerMessage(EventId = 6013, Level = LogLevel.Warning, Message = "Build {BuildId}: no farm host could compile a job: {Reason}")]
        public static partial void FarmUnavailable(ILogger logger, long buildId, string reason);

        [LoggerMessage(EventId = 6014, Level = LogLevel.Warning, Message = "Build {BuildId}: compile job refused at a limit: {Reason}")]
        public static partial void InFlightLimit(ILogger logger, long buildId, string reason);
    }
}
