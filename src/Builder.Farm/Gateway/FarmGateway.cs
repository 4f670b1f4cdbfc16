using Builder.Farm.Policy;
using Builder.Farm.Pool;
using Builder.Farm.Records;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Builder.Farm.Gateway;

/// <inheritdoc />
internal sealed class FarmGateway(FarmPool pool, IOptions<FarmOptions> options, ICompileJobSink sink, TimeProvider time, ILoggerFactory loggers)
    : IFarmGateway
{
    private readonly JobPolicy _policy = JobPolicy.From(options.Value);
    private readonly FarmForwarder _forwarder = new(pool, options.Value, time);

    public IReadOnlyList<FarmHostStatus> Hosts => [.. pool.Hosts.Select(h => h.Status())];

    public Task<GatewayListener> OpenAsync(long buildId, CancellationToken cancellationToken) => OpenAsync(buildId, 1, cancellationToken);

    public Task<GatewayListener> OpenAsync(long buildId, int buildAttempt, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        ArgumentOutOfRangeException.ThrowIfLessThan(buildAttempt, 1);
        var listener = new GatewayListener(buildId, buildAttempt, options.Value, _policy, _forwarder, sink, time, loggers.CreateLogger<GatewayListener>());
        return Task.FromResult(listener);
    }
}
