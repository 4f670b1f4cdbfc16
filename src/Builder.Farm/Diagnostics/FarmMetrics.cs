using System.Diagnostics.Metrics;

namespace Builder.Farm.Diagnostics;

/// <summary>
/// The farm gateway's instruments, on the meter <c>Builder.Farm</c>: one histogram, <c>builder.farm.job.duration</c>
/// in seconds, with one measurement per phase of every compiled job (tag <c>phase</c>). <c>gateway</c>: the gateway's
/// own time, from the complete request to the answer written, minus the farm's time (connect until the farm's answer
/// is complete). <c>answer_streaming</c>: the part of the farm's time from its first answer bytes to its last, which a
/// client talking to distccd directly waits for too. Both of one job are recorded one after the other on the same
/// thread, gateway first, so a listener can pair them (ops/bench/farm does).
/// </summary>
internal static class FarmMetrics
{
    /// <summary>The meter of the farm's instruments.</summary>
    public const string MeterName = "Builder.Farm";

    /// <summary>The histogram's name.</summary>
    public const string JobDurationName = "builder.farm.job.duration";

    /// <summary>The tag that names the phase.</summary>
    public const string PhaseTag = "phase";

    /// <summary>The phase of the gateway's own time.</summary>
    public const string GatewayPhase = "gateway";

    /// <summary>The phase of the farm's answer streaming.</summary>
    public const string AnswerStreamingPhase = "answer_streaming";

    private static readonly Meter Meter = new(MeterName);
    private static readonly Histogram<double> JobDuration = Meter.CreateHistogram<double>(
        JobDurationName, unit: "s", description: "Time a compiled job spent in each phase at the farm gateway.");

    /// <summary>Records one compiled job's phases.</summary>
    public static void RecordCompiled(TimeSpan gateway, TimeSpan answerStreaming)
    {
        JobDuration.Record(gateway.TotalSeconds, new KeyValuePair<string, object?>(PhaseTag, GatewayPhase));
        JobDuration.Record(answerStreaming.TotalSeconds, new KeyValuePair<string, object?>(PhaseTag, AnswerStreamingPhase));
    }
}
