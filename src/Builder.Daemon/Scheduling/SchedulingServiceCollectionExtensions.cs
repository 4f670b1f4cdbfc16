using Builder.Audit;
using Builder.Daemon.Audit;
using Builder.Daemon.Maintenance;
using Builder.Daemon.Pipeline;
using Builder.Farm;
using Builder.Sources;
using Builder.Store;
using Builder.Vm;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Quartz;

namespace Builder.Daemon.Scheduling;

internal static class SchedulingServiceCollectionExtensions
{
    /// <summary>
    /// Quartz with its PostgreSQL ADO job store in clustered mode (tables from sql/0005_scheduler.sql), the Dispatch
    /// job, per-build RunBuild jobs, the AuditRetry, Cleanup and NonceExpiry jobs, and this daemon's instance registration
    /// and recovery loop.
    /// Register after the store and the migration service: hosted services start in registration order.
    /// </summary>
    public static IServiceCollection AddBuilderScheduling(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<SchedulerOptions>().BindConfiguration(SchedulerOptions.Section).ValidateOnStart();
        services.TryAddEnumerable(
            ServiceDescriptor.Singleton<Microsoft.Extensions.Options.IValidateOptions<SchedulerOptions>, SchedulerOptionsValidator>());
        var scheduler = configuration.GetSection(SchedulerOptions.Section).Get<SchedulerOptions>() ?? new SchedulerOptions();
        // Made here, not by the container: its id is also Quartz's instance id, which the scheduler's configuration needs.
        var instance = new DaemonInstance(string.IsNullOrWhiteSpace(scheduler.HostName) ? Environment.MachineName : scheduler.HostName, TimeProvider.System);
        services.AddSingleton(instance);
        // One capacity: the VM runner's limit is this daemon's Scheduler:Slots, never a second count beside it.
        services.AddOptions<VmOptions>().PostConfigure<Microsoft.Extensions.Options.IOptions<SchedulerOptions>>(
            (vm, s) => vm.Slots = s.Value.Slots);
        services.TryAddEnumerable(
            ServiceDescriptor.Singleton<Microsoft.Extensions.Options.IValidateOptions<VmOptions>, RemovedVmSlotsValidator>());

        if (!scheduler.Enabled)
        {
            // An API-only daemon: it neither registers (it brings no slots) nor recovers (builders do).
            return services;
        }
        services.AddHostedService<InstanceService>();
        services.AddSingleton<LocalSlots>();
        services.AddSingleton<BuildRecovery>();
        services.AddSingleton<BuildResumes>();
        // The pipeline and everything it drives exist only where builds run (an API-only daemon needs none of it).
        services.AddBuilderSources();
        services.AddBuilderAuditDelivery();
        services.AddBuilderFarm();
        // The gateway records compile jobs through this sink; the daemon adapts it onto the store's repository.
        services.AddSingleton<Store.Farm.CompileJobRepository>();
        services.AddSingleton<Builder.Farm.Records.ICompileJobSink, Farm.StoreCompileJobSink>();
        services.AddBuilderVm();
        services.AddOptions<PipelineOptions>().BindConfiguration(PipelineOptions.Section).ValidateOnStart();
        services.TryAddEnumerable(
            ServiceDescriptor.Singleton<Microsoft.Extensions.Options.IValidateOptions<PipelineOptions>, PipelineOptionsValidator>());
        // Crash tests replace it (builderd run --test-pause-points); everywhere else it holds nothing.
        services.TryAddSingleton(TestPausePoints.None);
        services.AddSingleton<BuildFilesCleaner>();
        services.AddSingleton<CompileJobRetention>();
        services.AddBuilderPipeline();
        var connectionString = configuration[$"{StoreOptions.Section}:{nameof(StoreOptions.ConnectionString)}"] ?? "";
        services.AddQuartz(q =>
        {
            // Daemons sharing the database and this name are one cluster. The node id is the daemon's own id, so
            // triggers that must run on a host (Cleanup, a build's resume) are pinned to a daemon of that host.
            q.ConfigureScheduler(o =>
            {
                o.InstanceName = scheduler.ClusterName;
                o.InstanceId = instance.Id;
                // Another daemon's new build triggers are seen at the next poll: poll at the dispatcher's pace, not every 30 s.
                o.IdleWaitTime = scheduler.DispatchInterval < TimeSpan.FromSeconds(1) ? TimeSpan.FromSeconds(1) : scheduler.DispatchInterval;
            });
            // Build jobs run in their own execution group, at most Slots at once on this daemon: a daemon whose slots
            // are full acquires no build trigger, so another daemon with room takes it. The other jobs never wait behind them.
            q.UseDefaultThreadPool(scheduler.Slots + 4);
            q.UseExecutionLimits(l => l.ForGroup(RunBuildJob.ExecutionGroup, scheduler.Slots));
            q.UsePersistentStore(store =>
            {
                store.UsePostgres(connectionString);
                store.UseClustering(c => c.CheckinInterval = scheduler.HeartbeatInterval);
            });
            q.AddJobType<RunBuildJob>();
            q.AddAuditJobs(checkpointInterval: configuration.GetSection(Builder.Audit.Options.AuditOptions.Section)
                .Get<Builder.Audit.Options.AuditOptions>()?.CheckpointInterval);
            q.AddMaintenanceJobs(scheduler, instance.Host, instance.Id);
            q.AddJob<DispatchJob>(j => j.WithIdentity(DispatchJob.Key).StoreDurably().DisallowConcurrentExecution());
            q.AddTrigger<DispatchJob>(t => t.ForJob(DispatchJob.Key).WithIdentity("dispatch", "builder").StartNow()
                .WithSchedule(SimpleScheduleBuilder.Create().WithInterval(scheduler.DispatchInterval).RepeatForever()
                    .WithMisfireInstruction(SimpleTriggerMisfireInstruction.NextWithRemainingCount)));
        });
        services.AddQuartzHostedService(o => o.WaitForJobsToComplete = false);
        return services;
    }
}
