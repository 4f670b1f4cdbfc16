namespace Builder.Store.Builds;

/// <summary>
/// A published attempt as <see cref="BuildCompletion.SucceedAsync"/> commits it: the pocket head of the package moves
/// from <paramref name="ExpectedHeadCommit"/> (what the pocket rules saw; null: no head yet) to the built commit.
/// </summary>
public sealed record BuildSuccess(long BuildId, int Attempt, string Pocket, string Package, string? ExpectedHeadCommit, string CommitId,
    string Version, string Message);
