using Microsoft.Extensions.Logging;

namespace Builder.Sources.Mirrors;

public sealed partial class MirrorCache
{
    private static partial class Log
    {
        [LoggerMessage(4001, LogLevel.Debug, "Fetched the mirror of {Package} from {Url}")]
        public static partial void Fetched(ILogger logger, string package, string url);

        [LoggerMessage(4002, LogLevel.Information, "Cloned a new mirror of {Package} from {Url}")]
        public static partial void Cloned(ILogger logger, string package, string url);

        [LoggerMessage(4003, LogLevel.Warning, "The mirror of {Package} was unusable ({Problem}); re-cloned it from {Url}")]
        public static partial void Recloned(ILogger logger, string package, string problem, string url);

        [LoggerMessage(4004, LogLevel.Information, "Waiting for the lock on the mirror of {Package}")]
        public static partial void Waiting(ILogger logger, string package);
    }
}
