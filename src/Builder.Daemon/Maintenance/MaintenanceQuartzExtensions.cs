using Builder.Daemon.Scheduling;
using Quartz;

namespace Builder.Daemon.Maintenance;

internal static class MaintenanceQuartzExtensions
{
    /// <summary>
    /// Adds the Cleanup job (one trigger per host, <c>cleanup@&lt;host&gt;</c>, pinned to this scheduler node: build files
    /// are local to the host) and the NonceExpiry job (one trigger for the cluster), every
    /// <see cref="SchedulerOptions.CleanupInterval"/> and <see cref="SchedulerOptions.NonceExpiryInterval"/>.
    /// </summary>
    /// <param name="quartz">the scheduler being configured.</param>
    /// <param name="scheduler">the intervals.</param>
    /// <param name="host">this host's name (the Cleanup trigger's).</param>
    /// <param name="nodeId">this scheduler's instance id, which the Cleanup trigger is pinned to; null leaves it unpinned.</param>
    public static IQuartzBuilder AddMaintenanceJobs(this IQuartzBuilder quartz, SchedulerOptions scheduler, string host, string? nodeId)
    {
        ArgumentNullException.ThrowIfNull(quartz);
        ArgumentNullException.ThrowIfNull(scheduler);
        quartz.AddJob<CleanupJob>(j => j.WithIdentity(CleanupJob.Key).StoreDurably());
        quartz.AddTrigger(t =>
        {
            t.ForJob(CleanupJob.Key).WithIdentity(CleanupTriggerName(host), "builder").StartNow()
                .WithSimpleSchedule(s => s.WithInterval(scheduler.CleanupInterval).RepeatForever().WithMisfireInstruction(SimpleTriggerMisfireInstruction.NextWithRemainingCount));
            if (nodeId is not null)
            {
                t.WithPreferredNode(PreferredNode.For(nodeId));
            }
        });
        quartz.AddJob<NonceExpiryJob>(j => j.WithIdentity(NonceExpiryJob.Key).StoreDurably());
        quartz.AddTrigger(t => t.ForJob(NonceExpiryJob.Key).WithIdentity("nonce-expiry", "builder").StartNow()
            .WithSimpleSchedule(s => s.WithInterval(scheduler.NonceExpiryInterval).RepeatForever().WithMisfireInstruction(SimpleTriggerMisfireInstruction.NextWithRemainingCount)));
        return quartz;
    }

    public static string CleanupTriggerName(string host) => $"cleanup@{host}";
}
