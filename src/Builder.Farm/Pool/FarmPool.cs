using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Builder.Farm.Pool;

/// <summary>
/// One named pool of farm hosts (<c>Farm:Pools:&lt;name&gt;</c>, or <c>Farm:Hosts</c> as <c>default</c>): least-loaded
/// choice among its hosts that are up. A job of a pool never goes to another pool's host.
/// </summary>
internal sealed partial class FarmPool
{
    private readonly FarmOptions _options;
    private readonly ILogger<FarmPool> _logger;
    private int _rotation;

    /// <summary>The single pool of <c>Farm:Hosts</c> (or the default pool of <c>Farm:Pools</c>).</summary>
    public FarmPool(IOptions<FarmOptions> options, ILogger<FarmPool> logger)
        : this(FarmOptions.DefaultPool, options.Value.EffectivePools().GetValueOrDefault(FarmOptions.DefaultPool) ?? [], options.Value, logger)
    {
    }

    public FarmPool(string name, IReadOnlyList<string> hosts, FarmOptions options, ILogger<FarmPool> logger)
    {
        Name = name;
        _options = options;
        _logger = logger;
        Hosts = [.. hosts.Select(h => FarmHostEndpoint.TryParse(h, out var e, out var error)
            ? new FarmHost(e!) : throw new OptionsValidationException(FarmOptions.Section, typeof(FarmOptions), [error]))];
    }

    public string Name { get; }

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
            Log.HostUp(_logger, host.Name, Name);
        }
    }

    public void ReportFailure(FarmHost host, string error)
    {
        Log.HostFailure(_logger, host.Name, Name, error);
        if (host.ObserveFailure(_options.FailuresToMarkDown, error))
        {
            Log.HostDown(_logger, host.Name, Name, _options.FailuresToMarkDown, error);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 6101, Level = LogLevel.Warning, Message = "Farm host {Host} (pool {Pool}) is down after {Failures} failures in a row: {Error}")]
        public static partial void HostDown(ILogger logger, string host, string pool, int failures, string error);

        [LoggerMessage(EventId = 6102, Level = LogLevel.Information, Message = "Farm host {Host} (pool {Pool}) is up again")]
        public static partial void HostUp(ILogger logger, string host, string pool);

        [LoggerMessage(EventId = 6103, Level = LogLevel.Debug, Message = "Farm host {Host} (pool {Pool}) failed: {Error}")]
        public static partial void HostFailure(ILogger logger, string host, string pool, string error);
    }
}
