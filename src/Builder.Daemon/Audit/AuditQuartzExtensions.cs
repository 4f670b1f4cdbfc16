using Quartz;

namespace Builder.Daemon.Audit;

internal static class AuditQuartzExtensions
{
    /// <summary>How often the AuditRetry job looks for records whose back-off has run out.</summary>
    public static readonly TimeSpan DefaultPollInterval = TimeSpan.FromSeconds(15);

    /// <summary>
    /// Adds the AuditRetry job with a trigger that fires every <paramref name="pollInterval"/> (default 15 s). The
    /// back-off itself (Audit:RetryBase/RetryCap/RetryJitter) is per record in the database; the trigger only polls.
    /// Wire with <c>services.AddQuartz(q => q.AddAuditJobs())</c> next to AddBuilderStore and AddBuilderAudit.
    /// </summary>
    /// <param name="quartz">the scheduler being configured.</param>
    /// <param name="pollInterval">how often AuditRetry polls (default 15 s).</param>
    /// <param name="checkpointInterval">Audit:CheckpointInterval: the AuditCheckpoint job's one trigger for the cluster (default 1 h).</param>
    public static IQuartzBuilder AddAuditJobs(this IQuartzBuilder quartz, TimeSpan? pollInterval = null, TimeSpan? checkpointInterval = null)
    {
        ArgumentNullException.ThrowIfNull(quartz);
        var interval = pollInterval ?? DefaultPollInterval;
        quartz.AddJob<AuditRetryJob>(j => j.WithIdentity(AuditRetryJob.Key).StoreDurably());
        quartz.AddTrigger(t => t.ForJob(AuditRetryJob.Key).WithIdentity("audit-retry-poll", "builder")
            .StartNow().WithSimpleSchedule(s => s.WithInterval(interval).RepeatForever()));
        // Not StartNow: a restart loop must not flood the mailbox; the first checkpoint comes one interval after start.
        // A missed fire (the whole cluster down) is not made up: one checkpoint at the next fire says as much.
        var every = checkpointInterval ?? Builder.Audit.Options.AuditOptions.DefaultCheckpointInterval;
        quartz.AddJob<AuditCheckpointJob>(j => j.WithIdentity(AuditCheckpointJob.Key).StoreDurably());
        quartz.AddTrigger(t => t.ForJob(AuditCheckpointJob.Key).WithIdentity("audit-checkpoint", "builder")
            .StartAt(DateTimeOffset.UtcNow + every)
            .WithSimpleSchedule(s => s.WithInterval(every).RepeatForever().WithMisfireInstruction(SimpleTriggerMisfireInstruction.NextWithRemainingCount)));
        return quartz;
    }
}
