using Builder.Core.Builds;

namespace Builder.Store.Builds;

/// <summary>Result of a cancel request: cancelled now (was queued), requested (running: the pipeline stops it), or too late.</summary>
public sealed record CancelOutcome(bool Cancelled, bool Requested, BuildState State);
