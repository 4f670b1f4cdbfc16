using Builder.Farm.Gateway;
using Builder.Farm.Pool;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Builder.Farm;

public static class FarmServiceCollectionExtensions
{
    /// <summary>
    /// Registers the gateway (<see cref="IFarmGateway"/>), the farm pools and their health checks from the <c>Farm</c>
    /// section. An <see cref="Records.ICompileJobSink"/> must be registered too (Builder.Store provides it).
    /// </summary>
    public static IServiceCollection AddBuilderFarm(this IServiceCollection services)
    {
        services.AddOptions<FarmOptions>().BindConfiguration(FarmOptions.Section).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<FarmOptions>, FarmOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<FarmPools>();
        services.AddSingleton<FarmHealthMonitor>();
        services.AddHostedService(sp => sp.GetRequiredService<FarmHealthMonitor>());
        services.AddSingleton<IFarmGateway, FarmGateway>();
        return services;
    }
}
