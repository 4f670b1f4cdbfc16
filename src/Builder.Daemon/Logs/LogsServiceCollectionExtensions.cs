using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Builder.Daemon.Logs;

internal static class LogsServiceCollectionExtensions
{
    /// <summary>The <c>Logs</c> options (validated at start-up, every error naming its key) and the build log store.</summary>
    public static IServiceCollection AddBuilderLogs(this IServiceCollection services)
    {
        services.AddOptions<BuildLogOptions>().BindConfiguration(BuildLogOptions.Section).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<BuildLogOptions>, BuildLogOptionsValidator>());
        services.AddSingleton<BuildLogStore>();
        return services;
    }
}
