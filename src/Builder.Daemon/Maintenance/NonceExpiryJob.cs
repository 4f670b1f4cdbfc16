using Builder.Daemon.Hosting;
using Builder.Store.Builds;
using Microsoft.Extensions.Options;
using Quartz;

namespace Builder.Daemon.Maintenance;

/// <summary>
/// Deletes the nonces of requests received more than twice <c>Http:ReplayWindow</c> ago. A replay of such a request is
/// refused on its <c>issued</c> time anyway; the second window is margin for clock differences between daemons and
/// the database. So a replay stays refused as a replay (409) for as long as the window could still let it in.
/// One clustered trigger: one daemon runs it at a time.
/// </summary>
[DisallowConcurrentExecution]
internal sealed partial class NonceExpiryJob(BuildRepository builds, IOptionsMonitor<HttpApiOptions> http, ILogger<NonceExpiryJob> logger) : IJob
{
    public static readonly JobKey Key = new("nonce-expiry", "builder");

    /// <summary>How long a nonce is kept: twice the replay window.</summary>
    public static TimeSpan KeepFor(HttpApiOptions options) => 2 * options.ReplayWindow;

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var keep = KeepFor(http.CurrentValue);
        var deleted = await builds.ExpireNoncesAsync(keep, cancellationToken);
        if (deleted > 0)
        {
            Log.Expired(logger, deleted, keep);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(8711, LogLevel.Information, "Deleted {Count} request nonces older than {KeepFor}")]
        public static partial void Expired(ILogger logger, long count, TimeSpan keepFor);
    }
}
