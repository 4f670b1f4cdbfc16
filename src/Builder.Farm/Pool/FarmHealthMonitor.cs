using System.Text;
using Builder.Farm.Protocol;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Builder.Farm.Pool;

/// <summary>
/// Active health checks: every <see cref="FarmOptions.HealthInterval"/>, each host gets a connect and a tiny real
/// compile (a port that accepts but whose compiler is broken is not healthy). Results feed the pool's hysteresis.
/// An up host that compiled a real job within the last interval, with no failure since, is not probed: that job
/// proved what the probe would, and a busy gateway saves a farm exchange per host and interval. Every pool's hosts
/// are checked; each result goes to the host's own pool.
/// </summary>
internal sealed partial class FarmHealthMonitor(FarmPools pools, IOptions<FarmOptions> options, TimeProvider time, ILogger<FarmHealthMonitor> logger)
    : BackgroundService
{
    private static readonly byte[] ProbeSource = Encoding.ASCII.GetBytes("int builder_health_probe(void) { return 42; }\n");

    private readonly FarmOptions _options = options.Value;
    private readonly ProtocolLimits _limits = ProtocolLimits.From(options.Value);

    /// <summary>Probes every host once now (also used by tests and at start-up).</summary>
    public Task CheckAllAsync(CancellationToken cancellationToken) =>
        Task.WhenAll(pools.All.SelectMany(p => p.Hosts.Select(h => CheckAsync(p, h, cancellationToken))));

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(_options.HealthInterval, time);
        try
        {
            do
            {
                await CheckAllAsync(stoppingToken);
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    private async Task CheckAsync(FarmPool pool, FarmHost host, CancellationToken cancellationToken)
    {
        if (host.CompiledWithin(_options.HealthInterval, time))
        {
            Log.Skipped(logger, host.Name);
            return;
        }
        var request = MessageWriter.EncodeRequest(new CompileRequest(ProtocolVersion.Plain,
            [_options.HealthCheckCompiler, "-c", "-o", "builder-health-probe.o", "builder-health-probe.c"], ProbeSource));
        try
        {
            var response = (await FarmConnection.ExchangeAsync(host.Endpoint, request, ProtocolVersion.Plain, _limits,
                _options.ConnectTimeout, _options.HealthTimeout, time, cancellationToken)).Response;
            if (response.Succeeded && !response.Object.IsEmpty)
            {
                pool.ReportSuccess(host);
            }
            else
            {
                pool.ReportFailure(host, $"health compile failed with status 0x{response.Status:x}: {Encoding.UTF8.GetString(response.Stderr.Span).Trim()}");
            }
        }
        catch (FarmHostException e)
        {
            pool.ReportFailure(host, e.Message);
        }
        Log.Checked(logger, host.Name, host.IsUp);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 6201, Level = LogLevel.Trace, Message = "Health check of farm host {Host}: up={IsUp}")]
        public static partial void Checked(ILogger logger, string host, bool isUp);

        [LoggerMessage(EventId = 6202, Level = LogLevel.Trace, Message = "Health check of farm host {Host} skipped: it compiled a job within the interval")]
        public static partial void Skipped(ILogger logger, string host);
    }
}
