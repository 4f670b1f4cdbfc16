using Builder.Core.Builds;
using Builder.Core.Text;
using Builder.Store.Builds;

namespace Builder.Daemon.Api;

/// <summary>A build as the API shows it in lists.</summary>
internal sealed record BuildDto(
    long Id, string Pocket, string Package, string? RequestedCommit, string? Commit, string? Version, string Requester,
    string State, string? FailedStage, string? Reason, int Attempts, bool CancelRequested,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, DateTimeOffset? StartedAt, DateTimeOffset? FinishedAt)
{
    public static BuildDto From(BuildRecord b) => new(
        b.Id, b.Pocket, b.Package, b.RequestedCommit, b.CommitId, b.Version, b.Requester, BuildStates.Name(b.State), b.FailedStage,
        // Reasons quote tool stderr about guest-made files; cleaned again here for records stored before they were cleaned on write.
        b.Reason is null ? null : UntrustedLines.Join(b.Reason),
        b.Attempts, b.CancelRequestedAt is not null, b.CreatedAt, b.UpdatedAt, b.StartedAt, b.FinishedAt);
}
