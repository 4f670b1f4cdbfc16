using Builder.Core.Builds;

namespace Builder.Store.Builds;

/// <summary>
/// A guarded state change as the store applies it: from, to, the failed stage (exactly for failed), the reason kept
/// on the build and the message of its build_events row.
/// </summary>
public sealed record StateChange(BuildState From, BuildState To)
{
    public string? Stage { get; init; }

    public string? Reason { get; init; }

    public string? Message { get; init; }
}
