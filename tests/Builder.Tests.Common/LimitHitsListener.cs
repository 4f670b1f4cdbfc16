using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Builder.Core.Diagnostics;

namespace Builder.Tests.Common;

/// <summary>Collects <see cref="LimitHits"/> measurements while it lives, by setting (tests run in parallel: assert "at least").</summary>
public sealed class LimitHitsListener : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<string, long> _hits = new(StringComparer.Ordinal);

    public LimitHitsListener()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == LimitHits.MeterName && instrument.Name == LimitHits.CounterName)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag.Key == "limit" && tag.Value is string setting)
                {
                    _hits.AddOrUpdate(setting, value, (_, old) => old + value);
                }
            }
        });
        _listener.Start();
    }

    public long Hits(string setting) => _hits.GetValueOrDefault(setting);

    public void Dispose() => _listener.Dispose();
}
