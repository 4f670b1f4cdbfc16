using Builder.Store;
using Quartz;

namespace Builder.Daemon.Scheduling;

public static class SchedulingServiceCollectionExtensions
{
    /// <summary>
    /// Quartz with its PostgreSQL ADO job store in clustered mode (tables from sql/0005_scheduler.sql), the Dispatch
    /// job, per-build RunBuild jobs, and this daemon's instance registration and recovery loop.
    /// Register after the store and the migration service: hosted services start in registration order.
    /// </summary>
    public static IServiceCollection AddBuilderScheduling(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<SchedulerOptions>().BindConfiguration(SchedulerOptions.Section)
            .Validate(o => o.Slots is >= 1 and <= 64, "Scheduler:Slots must be from 1 to 64")
            .Validate(o => o.DispatchInterval >= TimeSpan.FromMilliseconds(100), "Scheduler:DispatchInterval must be at least 00:00:00.1")
            .Validate(o => o.HeartbeatInterval >= TimeSpan.FromSeconds(1) && o.DeadAfter > 2 * o.HeartbeatInterval,
                "Scheduler:DeadAfter must be more than twice Scheduler:HeartbeatInterval (at least 00:00:01)")
            .ValidateOnStart();
        services.AddSingleton<DaemonInstance>();
        services.AddSingleton<Store.Instances.InstanceRepository>();
        services.AddHostedService<InstanceService>();

        var scheduler = configuration.GetSection(SchedulerOptions.Section).Get<SchedulerOptions>() ?? new SchedulerOptions();
        if (!scheduler.Enabled)
        {
            return services;
        }
        services.AddSingleton<LocalSlots>();
        var connectionString = configuration[$"{StoreOptions.Section}:{nameof(StoreOptions.ConnectionString)}"] ?? "";
        services.AddQuartz(scheduler.ClusterName, q =>
        {
            q.ConfigureScheduler(o => o.GenerateInstanceId = true);
            // Build jobs wait for a local slot; the other jobs must not starve behind them.
            q.UseDefaultThreadPool(scheduler.Slots + 4);
            q.UsePersistentStore(store =>
            {
                store.UsePostgres(connectionString);
                store.UseClustering(c => c.CheckinInterval = scheduler.HeartbeatInterval);
            });
            q.AddJobType<RunBuildJob>();
            q.AddJob<DispatchJob>(j => j.WithIdentity(DispatchJob.Key).StoreDurably().DisallowConcurrentExecution());
            q.AddTrigger<DispatchJob>(t => t.ForJob(DispatchJob.Key).WithIdentity("dispatch", "builder").StartNow()
                .WithSchedule(SimpleScheduleBuilder.Create().WithInterval(scheduler.DispatchInterval).RepeatForever()
                    .WithMisfireInstruction(SimpleTriggerMisfireInstruction.NextWithRemainingCount)));
        });
        services.AddQuartzHostedService(scheduler.ClusterName, o => o.WaitForJobsToComplete = false);
        return services;
    }
}
