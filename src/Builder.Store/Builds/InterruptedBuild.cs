using Builder.Core.Builds;

namespace Builder.Store.Builds;

/// <summary>An attempt failed as interrupted by recovery: the state it was left in, and whether the build was requeued.</summary>
public sealed record InterruptedBuild(long Id, int Attempt, BuildState LeftIn, bool Requeued);
