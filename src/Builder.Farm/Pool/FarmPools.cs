using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Builder.Farm.Pool;

/// <summary>Every configured farm pool by name (<see cref="FarmOptions.EffectivePools"/>).</summary>
internal sealed class FarmPools
{
    private readonly Dictionary<string, FarmPool> _pools;

    public FarmPools(IOptions<FarmOptions> options, ILogger<FarmPool> logger) =>
        _pools = options.Value.EffectivePools().ToDictionary(p => p.Key, p => new FarmPool(p.Key, p.Value, options.Value, logger), StringComparer.Ordinal);

    public IEnumerable<FarmPool> All => _pools.Values;

    public IReadOnlyCollection<string> Names => _pools.Keys;

    /// <exception cref="ArgumentException">no pool of that name is configured.</exception>
    public FarmPool Get(string name) =>
        _pools.TryGetValue(name, out var pool) ? pool
            : throw new ArgumentException($"no farm pool '{name}' is configured (Farm:Pools has {string.Join(", ", _pools.Keys.Order(StringComparer.Ordinal))})", nameof(name));
}
