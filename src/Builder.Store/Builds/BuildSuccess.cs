namespace Builder.Store.Builds;

/// <summary>
/// A published attempt as <see cref="BuildCompletion.SucceedAsync"/> commits it: the pocket head of the package moves
/// from <paramref name="ExpectedHeadCommit"/> (what the pocket rules saw; null: no head yet) to the built commit, and its
/// signed provenance envelope (<see cref="ProvenanceEnvelope"/>, sha256 <see cref="ProvenanceSha256"/>) is stored with it.
/// </summary>
public sealed record BuildSuccess(long BuildId, int Attempt, string Pocket, string Package, string? ExpectedHeadCommit, string CommitId,
    string Version, string Message)
{
    public byte[]? ProvenanceEnvelope { get; init; }

    public string? ProvenanceSha256 { get; init; }
}
