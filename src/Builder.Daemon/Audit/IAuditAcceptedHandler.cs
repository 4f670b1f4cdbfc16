namespace Builder.Daemon.Audit;

/// <summary>
/// Told when the AuditRetry job got a build's build-start record accepted, so the pipeline can move the build on
/// (auditing → building). Implemented by the pipeline; without one, the pipeline's own poll of 'auditing' builds
/// (EnsureAuditedAsync returns Accepted at once for a delivered record) does the same.
/// </summary>
public interface IAuditAcceptedHandler
{
    Task BuildStartAcceptedAsync(long buildId, CancellationToken cancellationToken);
}
