using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Builder.Daemon.Hosting;

internal static class HttpApiServiceCollectionExtensions
{
    /// <summary>The <c>Http</c> options (validated at start-up, every error naming its key) and the public base URL of links.</summary>
    public static IServiceCollection AddBuilderHttpApi(this IServiceCollection services)
    {
        services.AddOptions<HttpApiOptions>().BindConfiguration(HttpApiOptions.Section).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<HttpApiOptions>, HttpApiOptionsValidator>());
        services.AddSingleton<PublicBaseUrl>();
        return services;
    }
}
