using Builder.Daemon.Acl;
using Builder.Daemon.Hooks;
using Builder.Daemon.Logs;
using Builder.Daemon.Packages;
using Builder.Daemon.Pipeline;
using Builder.Daemon.Apt;
using Builder.Daemon.Requests;
using Builder.Daemon.Scheduling;
using Builder.Store;
using Microsoft.Extensions.Options;

namespace Builder.Daemon.Hosting;

public static class DaemonServiceCollectionExtensions
{
    /// <summary>Everything builderd runs: options (validated at start), store, ACL monitor, request acceptor.</summary>
    public static IServiceCollection AddBuilderDaemon(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<DaemonOptionsValidator>();
        services.AddSingleton<IValidateOptions<HttpApiOptions>>(sp => sp.GetRequiredService<DaemonOptionsValidator>());
        services.AddSingleton<IValidateOptions<AclOptions>>(sp => sp.GetRequiredService<DaemonOptionsValidator>());
        services.AddSingleton<IValidateOptions<PocketsOptions>>(sp => sp.GetRequiredService<DaemonOptionsValidator>());
        services.AddSingleton<IValidateOptions<PocketsOptions>>(new PocketFarmPoolValidator(configuration));
        services.AddOptions<HttpApiOptions>().BindConfiguration(HttpApiOptions.Section).ValidateOnStart();
        services.AddOptions<AclOptions>().BindConfiguration(AclOptions.Section).ValidateOnStart();
        services.AddOptions<PocketsOptions>().BindConfiguration(PocketsOptions.Section).ValidateOnStart();
        services.AddOptions<PackageCatalogOptions>().BindConfiguration(PackageCatalogOptions.Section)
            .Validate(o => o.RepositoryUrl.Contains("{package}", StringComparison.Ordinal),
                "Packages:RepositoryUrl must contain {package} (e.g. \"/srv/git/packages/{package}.git\")")
            .ValidateOnStart();

        services.AddOptions<BuildLogOptions>().BindConfiguration(BuildLogOptions.Section)
            .Validate(o => !string.IsNullOrWhiteSpace(o.Directory), "Logs:Directory is required (e.g. \"/var/lib/builder/logs\")")
            .Validate(o => o.FollowTimeout > TimeSpan.Zero && o.FollowPollInterval > TimeSpan.Zero, "Logs:FollowTimeout and Logs:FollowPollInterval must be positive")
            // A finished build's notification and hooks still read and write its log after its final state.
            .Validate(o => o.KeepFor >= TimeSpan.FromHours(1), "Logs:KeepFor must be at least 01:00:00")
            .Validate(o => o.MaxBuildLog >= 4 * BuildLogWriter.DaemonReserve,
                $"Logs:MaxBuildLog must be at least {4 * BuildLogWriter.DaemonReserve} bytes (four times the daemon's reserved tail)")
            .Validate(o => o.MaxLineLength is >= 256 and <= 1 << 20, "Logs:MaxLineLength must be 256..1048576 characters")
            .ValidateOnStart();
        services.AddOptions<HooksOptions>().BindConfiguration(HooksOptions.Section)
            .Validate(o => !string.IsNullOrWhiteSpace(o.Directory), "Hooks:Directory is required (e.g. \"/etc/builder/hooks\")")
            .Validate(o => o.Timeout > TimeSpan.Zero, "Hooks:Timeout must be positive")
            .ValidateOnStart();

        services.AddOptions<BuildDepsOptions>().BindConfiguration(BuildDepsOptions.Section)
            .PostConfigure(o =>
            {
                if (o.SourceFiles.Count == 0)
                {
                    // Default: the host's own Debian mirror configuration.
                    o.SourceFiles.Add(File.Exists("/etc/apt/sources.list.d/debian.sources") ? "/etc/apt/sources.list.d/debian.sources" : "/etc/apt/sources.list");
                }
            })
            .Validate(o => o.SourceFiles.All(File.Exists), "BuildDeps:SourceFiles names a file that does not exist")
            .Validate(o => !string.IsNullOrWhiteSpace(o.CacheDirectory), "BuildDeps:CacheDirectory is required")
            // Written between quotes into apt.conf: a quote, a control character or a space would end or break it.
            .Validate(o => o.Proxy.Length == 0 || (Uri.TryCreate(o.Proxy, UriKind.Absolute, out var proxy) && proxy.Scheme is "http" or "https"
                    && !o.Proxy.Any(c => c is '"' or ' ' || char.IsControl(c))),
                "BuildDeps:Proxy must be empty or an http:// or https:// URL (e.g. \"http://proxy.example.org:3128/\")")
            .ValidateOnStart();

        services.AddOptions<AptOptions>().BindConfiguration(AptOptions.Section)
            .Validate(o => Path.IsPathFullyQualified(o.BaseDirectory), "Apt:BaseDirectory must be an absolute path (e.g. \"/srv/apt\")")
            .ValidateOnStart();

        services.AddBuilderStore();
        services.AddSingleton<Pipeline.Copies.CopySourceFinder>();
        services.AddSingleton<BuildLogStore>();
        services.AddSingleton<HookRunner>();
        services.AddSingleton<PublicBaseUrl>();
        services.AddHostedService<MigrateOnStartService>();
        services.AddSingleton<AclMonitor>();
        services.AddHostedService(sp => sp.GetRequiredService<AclMonitor>());
        services.AddSingleton<PackageCatalog>();
        services.AddSingleton<RequestAcceptor>();
        services.AddBuilderScheduling(configuration);
        return services;
    }
}
