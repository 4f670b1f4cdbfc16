using Builder.Core.Builds;

namespace Builder.Audit.Notify;

/// <summary>
/// What the pipeline tells the requester and the pocket's list when a build ends. Recipients are the requester's
/// address and the pocket's NotifyTo list; Log is the build log's tail (its last lines are mailed); WebUrl is
/// the build's page on the web status site.
/// </summary>
public sealed record BuildNotification(
    long BuildId,
    string Pocket,
    string Package,
    string? Version,
    string? Commit,
    BuildState State,
    string? FailedStage,
    string? Reason,
    IReadOnlyList<string> Recipients,
    string Log,
    Uri WebUrl);
