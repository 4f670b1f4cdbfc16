using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Builder.Daemon.Acl;

internal static class AclServiceCollectionExtensions
{
    /// <summary>
    /// The <c>Acl</c> options (validated at start-up, every error naming its key) and the ACL monitor, a hosted service:
    /// hosted services start in registration order.
    /// </summary>
    public static IServiceCollection AddBuilderAcl(this IServiceCollection services)
    {
        services.AddOptions<AclOptions>().BindConfiguration(AclOptions.Section).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<AclOptions>, AclOptionsValidator>());
        services.AddSingleton<AclMonitor>();
        services.AddHostedService(sp => sp.GetRequiredService<AclMonitor>());
        return services;
    }
}
