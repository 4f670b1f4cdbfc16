using Builder.Sources.Mirrors;
using Builder.Sources.Tagging;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Builder.Sources;

public static class SourcesServiceCollectionExtensions
{
    /// <summary>Registers the <c>Packages</c> options (validated at start-up), the mirror cache, the sources stage and the tagger.</summary>
    public static IServiceCollection AddBuilderSources(this IServiceCollection services)
    {
        services.AddOptions<PackagesOptions>().BindConfiguration(PackagesOptions.Section).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<PackagesOptions>, PackagesOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<MirrorCache>();
        services.AddSingleton<PackageSources>();
        services.AddSingleton<PocketTagger>();
        return services;
    }
}
