using Builder.Core.Audit;
using Builder.Core.Builds;
using Builder.Store.Builds;
using Microsoft.Extensions.Logging;
using Quartz;

namespace Builder.Daemon.Audit;

/// <summary>
/// Retries undelivered audit records whose back-off has run out (the schedule lives in audit_records.next_attempt_at,
/// so it survives restarts: 'auditing' builds resume their retries). One run at a time per daemon; across daemons
/// the delivery lock in PostgreSQL serializes them.
/// </summary>
[DisallowConcurrentExecution]
internal sealed partial class AuditRetryJob(AuditTrail trail, BuildRepository builds, IEnumerable<IAuditAcceptedHandler> handlers, ILogger<AuditRetryJob> logger) : IJob
{
    public static readonly JobKey Key = new("audit-retry", "builder");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var accepted = await trail.RetryDueAsync(cancellationToken);
        foreach (var record in accepted.Where(r => r.Event == AuditFields.BuildStartEvent))
        {
            if (record.BuildId is not { } buildId)
            {
                continue;
            }
            var build = await builds.GetAsync(buildId, cancellationToken);
            if (build is null || build.State != BuildState.Auditing || build.Attempts != record.BuildAttempt)
            {
                continue;
            }
            Log.BuildMayStart(logger, build.Id, record.Seq);
            foreach (var handler in handlers)
            {
                await handler.BuildStartAcceptedAsync(build.Id, build.Attempts, cancellationToken);
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(8104, LogLevel.Information, "Build {BuildId} may start: its build-start audit record seq {Seq} was accepted on retry")]
        public static partial void BuildMayStart(ILogger logger, long buildId, long seq);
    }
}
