namespace Builder.Daemon.Api;

/// <summary>Answer to an accepted request. <c>CancelRequested</c>: a running build will be stopped by its pipeline.</summary>
internal sealed record RequestAcceptedDto(long Id, string State, bool CancelRequested, string Url);
