namespace Builder.Core.Acl;

/// <summary>
/// Outcome of a check, the flags the principal holds in the pocket, and, for <see cref="AclOutcome.PocketClosed"/>,
/// the errors that close it (so the API can say which file and line).
/// </summary>
public sealed record AclDecision(AclOutcome Outcome, AclFlags Flags, IReadOnlyList<AclError> Errors);
