namespace Builder.Store.Builds;

/// <summary>Whether a build has reached a final state, and how long ago (null while it is queued or running).</summary>
public sealed record BuildEnd(long Id, bool Finished, TimeSpan? FinishedAgo);
