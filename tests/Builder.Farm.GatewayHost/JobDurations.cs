using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Builder.Farm.Diagnostics;

namespace Builder.Farm.GatewayHost;

/// <summary>
/// Per compiled job, the gateway's own time and that plus the farm's answer streaming, in milliseconds, read from the
/// gateway's builder.farm.job.duration histogram. A job's two phases arrive one after the other on the thread that
/// records them (gateway first), which is how they are paired.
/// </summary>
internal sealed class JobDurations : IDisposable
{
    private const int MaxJobs = 100_000;

    [ThreadStatic]
    private static double? _pendingGateway;

    private readonly MeterListener _listener = new();

    public JobDurations()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == FarmMetrics.MeterName && instrument.Name == FarmMetrics.JobDurationName)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<double>(OnMeasurement);
        _listener.Start();
    }

    /// <summary>The first jobs' figures (gateway ms, gateway plus answer streaming ms), in the order they ended.</summary>
    public ConcurrentQueue<(double Added, double WithStreaming)> Jobs { get; } = new();

    public void Dispose() => _listener.Dispose();

    private void OnMeasurement(Instrument instrument, double seconds, ReadOnlySpan<KeyValuePair<string, object?>> tags, object? state)
    {
        var phase = tags.Length > 0 ? tags[0].Value as string : null;
        if (phase == FarmMetrics.GatewayPhase)
        {
            _pendingGateway = seconds;
        }
        else if (phase == FarmMetrics.AnswerStreamingPhase && _pendingGateway is { } gateway)
        {
            _pendingGateway = null;
            if (Jobs.Count < MaxJobs)
            {
                Jobs.Enqueue((gateway * 1000, (gateway + seconds) * 1000));
            }
        }
    }
}
