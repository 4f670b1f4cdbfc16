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
    public static IQuartzBuilder AddAuditJobs(this IQuartzBuilder quartz, TimeSpan? pollInterval = null)
    {
        ArgumentNullException.ThrowIfNull(quartz);
        var interval = pollInterval ?? DefaultPollInterval;
        quartz.AddJob<AuditRetryJob>(j => j.WithIdentity(AuditRetryJob.Key).StoreDurably());
        quartz.AddTrigger(t => t.ForJob(AuditRetryJob.Key).WithIdentity("audit-retry-poll", "builder")
            .StartNow().WithSimpleSchedule(s => s.WithInterval(interval).RepeatForever()));
        return quartz;
    }
}
