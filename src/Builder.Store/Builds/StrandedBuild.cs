using Builder.Core.Builds;

namespace Builder.Store.Builds;

/// <summary>
/// A build whose next step may have no job: <see cref="BuildState.Preparing"/> under a live daemon (its run job may
/// not have been scheduled), or <see cref="BuildState.Auditing"/> under a gone one (it waits for a resume).
/// </summary>
public sealed record StrandedBuild(long Id, int Attempt, BuildState State);
