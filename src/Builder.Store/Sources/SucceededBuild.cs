namespace Builder.Store.Sources;

/// <summary>A succeeded build of an exact commit: the source of a cross-pocket binary copy.</summary>
public sealed record SucceededBuild(long BuildId, string Pocket, string Package, string CommitId, string Version, DateTimeOffset FinishedAt);
