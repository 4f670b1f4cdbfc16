using Builder.Farm.Gateway;
using Builder.Farm.Pool;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Builder.Farm.Tests.Support;

/// <summary>The real gateway, pool and health monitor wired by hand, with an in-memory record sink.</summary>
internal sealed class TestGateway : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();

    public TestGateway(IEnumerable<string> hosts, Action<FarmOptions>? configure = null)
    {
        Options = new FarmOptions();
        foreach (var h in hosts)
        {
            Options.Hosts.Add(h);
        }
        configure?.Invoke(Options);
        var validation = new FarmOptionsValidator().Validate(null, Options);
        Assert.True(validation.Succeeded, validation.FailureMessage);
        var options = Microsoft.Extensions.Options.Options.Create(Options);
        Pools = new FarmPools(options, NullLogger<FarmPool>.Instance);
        Monitor = new FarmHealthMonitor(Pools, options, TimeProvider.System, NullLogger<FarmHealthMonitor>.Instance);
        Gateway = new FarmGateway(Pools, options, Sink, TimeProvider.System, NullLoggerFactory.Instance);
    }

    public FarmOptions Options { get; }

    public FarmPools Pools { get; }

    /// <summary>The pool 'default' (that of Farm:Hosts).</summary>
    public FarmPool Pool => Pools.Get(FarmOptions.DefaultPool);

    public FarmHealthMonitor Monitor { get; }

    public FarmGateway Gateway { get; }

    public RecordingSink Sink { get; } = new();

    public Task StartHealthChecksAsync() => Monitor.StartAsync(_stop.Token);

    public async ValueTask DisposeAsync()
    {
        await Monitor.StopAsync(CancellationToken.None);
        Monitor.Dispose();
        _stop.Dispose();
    }
}
