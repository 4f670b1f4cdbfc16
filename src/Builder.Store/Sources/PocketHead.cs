namespace Builder.Store.Sources;

/// <summary>A row of pocket_heads: what a pocket currently publishes of a package.</summary>
public sealed record PocketHead(string Pocket, string Package, string CommitId, string Version, long BuildId, DateTimeOffset UpdatedAt);
