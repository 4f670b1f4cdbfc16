using Builder.Daemon.Apt;
using Builder.Daemon.Audit;
using Builder.Daemon.Pipeline.Stages;
using Builder.Daemon.Scheduling;

namespace Builder.Daemon.Pipeline;

internal static class PipelineServiceCollectionExtensions
{
    /// <summary>
    /// The build pipeline and its stages, as the scheduler's <see cref="IBuildPipeline"/> and the audit and recovery
    /// handlers, and the apt types it drives (build-deps resolution, publishing); their options are bound by the daemon.
    /// </summary>
    public static IServiceCollection AddBuilderPipeline(this IServiceCollection services)
    {
        services.AddSingleton<RepositoryPublisher>();
        services.AddSingleton<BuildDepsResolver>();
        services.AddSingleton<PocketBuildDepSources>();
        services.AddSingleton<BuildRuns>();
        services.AddSingleton<StagePauses>();
        services.AddSingleton<BuildHooks>();
        services.AddSingleton<BuildNotifier>();
        services.AddSingleton<BuildEndCommit>();
        services.AddSingleton<FinishStage>();
        services.AddSingleton<BuildDepsStep>();
        services.AddSingleton<PrepareStage>();
        services.AddSingleton<AuditGate>();
        services.AddSingleton<GuestBuild>();
        services.AddSingleton<BinaryCheck>();
        services.AddSingleton<VmBuildStage>();
        // A singleton: it configures the repository once per daemon.
        services.AddSingleton<PublishStage>();
        services.AddSingleton<InterruptedBuildLog>();
        services.AddSingleton<BuildPipeline>();
        services.AddSingleton<IBuildPipeline>(sp => sp.GetRequiredService<BuildPipeline>());
        services.AddSingleton<IAuditAcceptedHandler>(sp => sp.GetRequiredService<BuildPipeline>());
        services.AddSingleton<IInterruptedBuildHandler>(sp => sp.GetRequiredService<BuildPipeline>());
        return services;
    }
}
