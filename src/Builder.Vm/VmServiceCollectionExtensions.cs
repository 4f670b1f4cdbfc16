using Builder.Vm.Running;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Builder.Vm;

public static class VmServiceCollectionExtensions
{
    /// <summary>Registers the VM runner and the failed-build janitor, with the <c>Vm</c> section validated at start-up.</summary>
    public static IServiceCollection AddBuilderVm(this IServiceCollection services)
    {
        services.AddOptions<VmOptions>().BindConfiguration(VmOptions.Section).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<VmOptions>, VmOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IVmRunner, VmRunner>();
        services.TryAddSingleton<FailedBuildJanitor>();
        return services;
    }
}
