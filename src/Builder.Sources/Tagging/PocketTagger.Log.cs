using Microsoft.Extensions.Logging;

namespace Builder.Sources.Tagging;

public sealed partial class PocketTagger
{
    private static partial class Log
    {
        [LoggerMessage(4201, LogLevel.Information, "Tagged {Package} {Tag} at {Commit} and pushed it to {Url}")]
        public static partial void Tagged(ILogger logger, string package, string tag, string commit, string url);

        [LoggerMessage(4202, LogLevel.Information, "Tag {Tag} of {Package} already points to {Commit}")]
        public static partial void AlreadyTagged(ILogger logger, string package, string tag, string commit);
    }
}
