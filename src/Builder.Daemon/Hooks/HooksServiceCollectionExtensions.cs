using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Builder.Daemon.Hooks;

internal static class HooksServiceCollectionExtensions
{
    /// <summary>The <c>Hooks</c> options (validated at start-up, every error naming its key) and the hook runner.</summary>
    public static IServiceCollection AddBuilderHooks(this IServiceCollection services)
    {
        services.AddOptions<HooksOptions>().BindConfiguration(HooksOptions.Section).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<HooksOptions>, HooksOptionsValidator>());
        services.AddSingleton<HookRunner>();
        return services;
    }
}
