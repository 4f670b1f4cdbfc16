using System.Collections.Frozen;

namespace Builder.Core.Builds;

/// <summary>
/// The one definition of which state may follow which. The store refuses any other transition,
/// so every path through a build is one of the arrows below and leaves a build_events row.
/// </summary>
public static class BuildStates
{
    private static readonly FrozenDictionary<BuildState, BuildState[]> Next = new Dictionary<BuildState, BuildState[]>
    {
        [BuildState.Queued] = [BuildState.Preparing, BuildState.Cancelled],
        // Preparing ends in auditing, or in a policy rejection (backtracking, version not newer).
        [BuildState.Preparing] = [BuildState.Auditing, BuildState.Rejected, BuildState.Failed, BuildState.Cancelled],
        // Auditing goes to publishing directly when the binaries are copied from another pocket.
        [BuildState.Auditing] = [BuildState.Building, BuildState.Publishing, BuildState.Failed, BuildState.Cancelled],
        [BuildState.Building] = [BuildState.Publishing, BuildState.Failed, BuildState.Cancelled],
        [BuildState.Publishing] = [BuildState.Succeeded, BuildState.Failed],
        // A build failed with stage 'interrupted' (daemon killed) is requeued once; see CanRequeue.
        [BuildState.Failed] = [BuildState.Queued],
        [BuildState.Succeeded] = [],
        [BuildState.Rejected] = [],
        [BuildState.Cancelled] = [],
    }.ToFrozenDictionary();

    private static readonly FrozenDictionary<string, BuildState> ByName =
        Enum.GetValues<BuildState>().ToFrozenDictionary(Name, s => s, StringComparer.Ordinal);

    /// <summary>States a daemon may be working on; after a crash these are recovered.</summary>
    public static IReadOnlyList<BuildState> Active { get; } =
        [BuildState.Preparing, BuildState.Auditing, BuildState.Building, BuildState.Publishing];

    public static bool IsTerminal(BuildState state) => Next[state].Length == 0 || state == BuildState.Failed;

    public static bool CanTransition(BuildState from, BuildState to) => Array.IndexOf(Next[from], to) >= 0;

    /// <summary>Only an interrupted build goes back to the queue, and only once.</summary>
    public static bool CanRequeue(BuildState state, string? failedStage, int attempts) =>
        state == BuildState.Failed && failedStage == BuildStages.Interrupted && attempts < 2;

    public static string Name(BuildState state) => state switch
    {
        BuildState.Queued => "queued",
        BuildState.Preparing => "preparing",
        BuildState.Auditing => "auditing",
        BuildState.Building => "building",
        BuildState.Publishing => "publishing",
        BuildState.Succeeded => "succeeded",
        BuildState.Failed => "failed",
        BuildState.Rejected => "rejected",
        BuildState.Cancelled => "cancelled",
        _ => throw new ArgumentOutOfRangeException(nameof(state), state, null),
    };

    public static bool TryParse(string name, out BuildState state) => ByName.TryGetValue(name, out state);

    public static BuildState Parse(string name) =>
        TryParse(name, out var s) ? s : throw new FormatException($"unknown build state '{name}'");
}
