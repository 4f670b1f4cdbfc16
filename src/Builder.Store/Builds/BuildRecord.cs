using Builder.Core.Builds;

namespace Builder.Store.Builds;

/// <summary>A row of the builds table.</summary>
public sealed record BuildRecord(
    long Id,
    string Pocket,
    string Package,
    string? RequestedCommit,
    string? CommitId,
    string? Version,
    string Requester,
    string KeyFingerprint,
    string AclHash,
    string Request,
    string Signature,
    BuildState State,
    string? FailedStage,
    string? Reason,
    int Attempts,
    DateTimeOffset? CancelRequestedAt,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt);
