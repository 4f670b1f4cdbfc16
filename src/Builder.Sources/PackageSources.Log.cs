using Microsoft.Extensions.Logging;

namespace Builder.Sources;

public sealed partial class PackageSources
{
    private static partial class Log
    {
        [LoggerMessage(4101, LogLevel.Information, "Build {BuildId}: {Package} resolved to {Commit} ({Version})")]
        public static partial void Resolved(ILogger logger, long buildId, string package, string commit, string version);

        [LoggerMessage(4102, LogLevel.Information, "Build {BuildId} rejected by pocket {Pocket}: {Reason}")]
        public static partial void Rejected(ILogger logger, long buildId, string pocket, string reason);

        [LoggerMessage(4103, LogLevel.Information, "Build {BuildId}: source package {Dsc} built ({Files} files)")]
        public static partial void Built(ILogger logger, long buildId, string dsc, int files);
    }
}
