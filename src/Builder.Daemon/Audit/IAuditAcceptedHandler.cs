namespace Builder.Daemon.Audit;

/// <summary>
/// Told when the AuditRetry job got a build's build-start record accepted, so the pipeline can move the build on
/// (auditing → building). Implemented by the pipeline; without one, the pipeline's own poll of 'auditing' builds
/// (EnsureAuditedAsync returns Accepted at once for a delivered record) does the same.
/// </summary>
internal interface IAuditAcceptedHandler
{
    /// <param name="buildId">the build.</param>
    /// <param name="attempt">the attempt whose build-start record was accepted.</param>
    /// <param name="cancellationToken">cancels the hand-over.</param>
    Task BuildStartAcceptedAsync(long buildId, int attempt, CancellationToken cancellationToken);
}
