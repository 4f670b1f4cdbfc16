using System.Collections.Concurrent;

namespace Builder.Farm.Gateway;

/// <summary>
/// Tells a build's log that its jobs ran into one of the gateway's bounds: one line per bound per build, so a guest
/// that hammers a bound costs one line, not one per connection (every hit is still counted in
/// <c>builder.limit.hits</c> and logged by the gateway). The pipeline sets <see cref="Sink"/> to the build log.
/// </summary>
public sealed class GatewayLimitNotices
{
    private readonly ConcurrentDictionary<string, byte> _told = new(StringComparer.Ordinal);

    /// <summary>Where the lines go (the build log's daemon lines); null drops them. Must not block.</summary>
    public Action<string>? Sink { get; set; }

    /// <summary>The bounds told so far, in no order (for tests and the build's summary).</summary>
    public IReadOnlyCollection<string> Told => [.. _told.Keys];

    /// <summary>The build ran into <paramref name="setting"/>; <paramref name="consequence"/> says what the gateway does now.</summary>
    internal void Reached(string setting, string consequence)
    {
        if (_told.TryAdd(setting, 0))
        {
            Sink?.Invoke($"compile farm gateway: this build reached {setting}; {consequence} (said once per build; every hit is counted)");
        }
    }
}
