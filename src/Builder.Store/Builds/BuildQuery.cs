using Builder.Core.Builds;

namespace Builder.Store.Builds;

/// <summary>Filters of <c>GET /api/v1/builds</c>; null means any.</summary>
public sealed record BuildQuery(string? Pocket = null, string? Package = null, BuildState? State = null, int Limit = 50);
