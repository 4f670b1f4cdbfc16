using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Builder.Daemon.Packages;

internal static class PackagesServiceCollectionExtensions
{
    /// <summary>
    /// The daemon's part of the <c>Packages</c> options (validated at start-up) and the package catalog the HTTP API asks.
    /// Builders also get Builder.Sources' whole section (AddBuilderSources).
    /// </summary>
    public static IServiceCollection AddBuilderPackageCatalog(this IServiceCollection services)
    {
        services.AddOptions<PackageCatalogOptions>().BindConfiguration(PackageCatalogOptions.Section).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<PackageCatalogOptions>, PackageCatalogOptionsValidator>());
        services.AddSingleton<PackageCatalog>();
        return services;
    }
}
