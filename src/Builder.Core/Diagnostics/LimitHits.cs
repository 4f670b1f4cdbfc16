using System.Diagnostics.Metrics;

namespace Builder.Core.Diagnostics;

/// <summary>
/// Counts every time a build (or a guest, or a farm client) ran into one of the daemon's bounds: one counter,
/// <c>builder.limit.hits</c>, tagged with the setting that holds the bound (<c>limit=Logs:MaxBuildLog</c>). The log
/// line that goes with each hit is the component's own; this is the count an operator graphs and alerts on.
/// </summary>
public static class LimitHits
{
    /// <summary>The meter every Builder counter belongs to.</summary>
    public const string MeterName = "Builder";

    /// <summary>The counter's name.</summary>
    public const string CounterName = "builder.limit.hits";

    private static readonly Meter Meter = new(MeterName);
    private static readonly Counter<long> Counter = Meter.CreateCounter<long>(
        CounterName, unit: "{hit}", description: "Times a build ran into one of the daemon's bounds, by the setting that holds it.");

    /// <summary>Counts one hit of the bound held by <paramref name="setting"/> (a configuration key such as <c>Farm:MaxConnectionsPerBuild</c>).</summary>
    public static void Record(string setting)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(setting);
        Counter.Add(1, new KeyValuePair<string, object?>("limit", setting));
    }
}
