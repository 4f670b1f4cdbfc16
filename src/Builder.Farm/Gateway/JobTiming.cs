namespace Builder.Farm.Gateway;

/// <summary>
/// One compiled job's timings at the gateway (for ops/bench/farm). <see cref="Added"/>: the gateway's own time, from
/// the complete request to the answer written, minus the farm's time (connect until the farm's answer is complete).
/// <see cref="AnswerStreaming"/>: the part of the farm's time from its first answer bytes to its last, which a client
/// talking to distccd directly waits for too.
/// </summary>
internal readonly record struct JobTiming(TimeSpan Added, TimeSpan AnswerStreaming);
