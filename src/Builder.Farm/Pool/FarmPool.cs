using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Builder.Farm.Pool;

/// <summary>The farm hosts from <c>Farm:Hosts</c>: least-loaded choice among the hosts that are up.</summary>
internal sealed partial class FarmPool
{
    private readonly FarmOptions _options;
    private readonly ILogger<FarmPool> _logger;
    private int _rotation;

    public FarmPool(IOptions<FarmOptions> options, ILogger<FarmPool> logger)
    {
        _options = options.Value;
        _logger = logger;
        Hosts = [.. _options.Hosts.Select(h => FarmHostEndpoint.TryParse(h, out var e, out var error)
            ? new FarmHost(e!) : throw new OptionsValidationException(FarmOptions.Section, typeof(FarmOptions), [error]))];
    }

    public IReadOnlyList<FarmHost> Hosts { get; }

    /// <summary>Takes a slot on the least-loaded up host not in <paramref name="exclude"/>; null when there is none.</summary>
    public FarmHost? Acquire(IReadOnlyCollection<FarmHost> exclude)
    {
        // Start the scan at a rotating index so equally loaded hosts take turns.
        var start = Interlocked.Increment(ref _rotation);
        FarmHost? best = null;
        for (var i = 0; i < Hosts.Count; i++)
        {
            var host = Hosts[(int)((uint)(start + i) % (uint)Hosts.Count)];
            if (host.IsUp && !exclude.Contains(host) && (best is null || host.Load < best.Load))
            {
                best = host;
            }
        }
        best?.Enter();
        return best;
    }

    public static void Release(FarmHost host) => host.Leave();

    public void ReportSuccess(FarmHost host)
    {
        if (host.ObserveSuccess(_options.SuccessesToMarkUp))
        {
            Log.HostUp(_logger, host.Name);
        }
    }

    public void ReportFailure(FarmHost host, string error)
    {
        Log.HostFailure(_logger, host.Name, error);
        if (host.ObserveFailure(_options.FailuresToMarkDown, error))
        {
            Log.HostDown(_logger, host.Name, _options.FailuresToMarkDown, error);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 6101, Level = LogLevel.Warning, Message = "Farm host {Host} is down after {Failures} failures in a row: {Error}")]
        public static partial void HostDown(ILogger logger, string host, int failures, string error);

        [LoggerMessage(EventId = 6102, Level = LogLevel.Information, Message = "Farm host {Host} is up again")]
        public static partial void HostUp(ILogger logger, string host);

        [LoggerMessage(EventId = 6103, Level = LogLevel.Debug, Message = "Farm host {Host} failed: {Error}")]
        public static partial void HostFailure(ILogger logger, string host, string error);
    }
}
