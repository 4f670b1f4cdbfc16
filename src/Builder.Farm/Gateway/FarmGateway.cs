using Builder.Farm.Policy;
using Builder.Farm.Pool;
using Builder.Farm.Records;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Builder.Farm.Gateway;

/// <inheritdoc />
internal sealed class FarmGateway : IFarmGateway
{
    private readonly FarmPools _pools;
    private readonly FarmOptions _options;
    private readonly ICompileJobSink _sink;
    private readonly TimeProvider _time;
    private readonly ILoggerFactory _loggers;
    private readonly JobPolicy _policy;
    private readonly Dictionary<string, FarmForwarder> _forwarders;

    public FarmGateway(FarmPools pools, IOptions<FarmOptions> options, ICompileJobSink sink, TimeProvider time, ILoggerFactory loggers)
    {
        _pools = pools;
        _options = options.Value;
        _sink = sink;
        _time = time;
        _loggers = loggers;
        _policy = JobPolicy.From(_options);
        // One forwarder per pool: a job can only ever be sent to a host of the pool its listener was opened for.
        _forwarders = pools.All.ToDictionary(p => p.Name, p => new FarmForwarder(p, _options, time), StringComparer.Ordinal);
    }

    public IReadOnlyList<FarmHostStatus> Hosts => [.. _pools.All.SelectMany(p => p.Hosts.Select(h => h.Status(p.Name)))];

    public IReadOnlyCollection<string> Pools => _pools.Names;

    public Task<GatewayListener> OpenAsync(long buildId, CancellationToken cancellationToken) => OpenAsync(buildId, 1, cancellationToken);

    public Task<GatewayListener> OpenAsync(long buildId, int buildAttempt, CancellationToken cancellationToken) =>
        OpenAsync(buildId, buildAttempt, FarmOptions.DefaultPool, cancellationToken);

    public Task<GatewayListener> OpenAsync(long buildId, int buildAttempt, string pool, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        ArgumentOutOfRangeException.ThrowIfLessThan(buildAttempt, 1);
        var forwarder = _forwarders.GetValueOrDefault(pool) ?? throw new ArgumentException(
            $"no farm pool '{pool}' is configured (Farm:Pools has {string.Join(", ", _pools.Names.Order(StringComparer.Ordinal))})", nameof(pool));
        var listener = new GatewayListener(buildId, buildAttempt, pool, _options, _policy, forwarder, _sink, _time, _loggers.CreateLogger<GatewayListener>());
        return Task.FromResult(listener);
    }
}
