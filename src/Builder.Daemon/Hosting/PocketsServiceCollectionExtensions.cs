using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Builder.Daemon.Hosting;

internal static class PocketsServiceCollectionExtensions
{
    /// <summary>
    /// The <c>Pockets</c> options, validated at start-up by two validators whose errors are reported together: the
    /// section itself, and each pocket's farm pool against the Farm section of <paramref name="configuration"/>.
    /// </summary>
    public static IServiceCollection AddBuilderPockets(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<PocketsOptions>().BindConfiguration(PocketsOptions.Section).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<PocketsOptions>, PocketsOptionsValidator>());
        services.TryAddEnumerable(
            ServiceDescriptor.Singleton<IValidateOptions<PocketsOptions>>(new PocketFarmPoolValidator(configuration)));
        return services;
    }
}
