namespace Builder.Cli.Client;

/// <summary>A build as <c>GET /api/v1/builds</c> returns it (the CLI's own copy of the wire shape).</summary>
internal sealed record BuildView(
    long Id, string Pocket, string Package, string? RequestedCommit, string? Commit, string? Version, string Requester,
    string State, string? FailedStage, string? Reason, int Attempts, bool CancelRequested,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, DateTimeOffset? StartedAt, DateTimeOffset? FinishedAt);
