using Builder.Daemon.Acl;
using Builder.Daemon.Hooks;
using Builder.Daemon.Logs;
using Builder.Daemon.Packages;
using Builder.Daemon.Pipeline;
using Builder.Daemon.Provenance;
using Builder.Daemon.Apt;
using Builder.Daemon.Requests;
using Builder.Daemon.Scheduling;
using Builder.Store;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Builder.Daemon.Hosting;

internal static class DaemonServiceCollectionExtensions
{
    /// <summary>
    /// Everything builderd runs, feature by feature, each with its options validated at start (all errors at once): HTTP,
    /// pockets, package catalog, logs, hooks, build-deps, apt, store, ACL monitor, request acceptor, scheduling, provenance.
    /// </summary>
    public static IServiceCollection AddBuilderDaemon(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(TimeProvider.System);
        services.AddBuilderHttpApi();
        services.AddBuilderPockets(configuration);
        services.AddBuilderPackageCatalog();
        services.AddBuilderLogs();
        services.AddBuilderHooks();

        services.AddOptions<BuildDepsOptions>().BindConfiguration(BuildDepsOptions.Section)
            .PostConfigure(o =>
            {
                if (o.SourceFiles.Count == 0)
                {
                    // Default: the host's own Debian mirror configuration.
                    o.SourceFiles.Add(File.Exists("/etc/apt/sources.list.d/debian.sources") ? "/etc/apt/sources.list.d/debian.sources" : "/etc/apt/sources.list");
                }
            })
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<BuildDepsOptions>, BuildDepsOptionsValidator>());

        services.AddOptions<AptOptions>().BindConfiguration(AptOptions.Section).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<AptOptions>, AptOptionsValidator>());

        services.AddBuilderStore();
        services.AddSingleton<Pipeline.Copies.CopySourceFinder>();
        services.AddHostedService<MigrateOnStartService>();
        // After the migration service: hosted services start in registration order.
        services.AddBuilderAcl();
        services.AddSingleton<RequestAcceptor>();
        services.AddBuilderScheduling(configuration);
        services.AddBuilderProvenance();
        return services;
    }
}
