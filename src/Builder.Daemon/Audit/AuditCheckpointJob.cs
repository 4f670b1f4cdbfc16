using Microsoft.Extensions.Logging;
using Quartz;

namespace Builder.Daemon.Audit;

/// <summary>
/// Appends a checkpoint record every Audit:CheckpointInterval, idle or not, and delivers it in seq order behind any
/// undelivered record (a failed delivery is the AuditRetry job's, like any record's). So the newest mail in an
/// auditor's mailbox is never older than the interval plus delivery: an older one means silence or deletion.
/// One clustered trigger: one daemon runs it at a time. It takes the chain head lock only to append; builds wait for nothing.
/// </summary>
[DisallowConcurrentExecution]
internal sealed partial class AuditCheckpointJob(AuditTrail trail, ILogger<AuditCheckpointJob> logger) : IJob
{
    public static readonly JobKey Key = new("audit-checkpoint", "builder");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var delivery = await trail.RecordCheckpointAsync(cancellationToken);
        if (delivery.Accepted)
        {
            Log.Checkpoint(logger, delivery.Seq, delivery.MessageId!);
        }
        else
        {
            Log.CheckpointPending(logger, delivery.Seq, delivery.State, delivery.LastError ?? "waits for an earlier record");
        }
    }

    private static partial class Log
    {
        [LoggerMessage(8105, LogLevel.Information, "Audit checkpoint seq {Seq} accepted as <{MessageId}>")]
        public static partial void Checkpoint(ILogger logger, long seq, string messageId);

        [LoggerMessage(8106, LogLevel.Warning, "Audit checkpoint seq {Seq} is {State}: {Reason}")]
        public static partial void CheckpointPending(ILogger logger, long seq, AuditDeliveryState state, string reason);
    }
}
