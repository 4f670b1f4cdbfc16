namespace Builder.Store.Builds;

/// <summary>A row of build_events: one transition, or a note (FromState == ToState) such as an audit retry.</summary>
public sealed record BuildEventRecord(long Id, long BuildId, DateTimeOffset At, string? FromState, string ToState, string? Stage, string? Message);
