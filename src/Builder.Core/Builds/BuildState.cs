namespace Builder.Core.Builds;

/// <summary>
/// The states of a build (DESIGN.md, "Build states"). Stored as their lowercase names
/// (<see cref="BuildStates.Name"/>); the numeric values are not persisted.
/// </summary>
public enum BuildState
{
    Queued,
    Preparing,
    Auditing,
    Building,
    Publishing,
    Succeeded,
    Failed,
    Rejected,
    Cancelled,
}
