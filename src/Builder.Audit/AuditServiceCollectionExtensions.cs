using Builder.Audit.Delivery;
using Builder.Audit.Mail;
using Builder.Audit.Notify;
using Builder.Audit.Options;
using Builder.Store.Audit;
using Builder.Store.Builds;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Builder.Audit;

public static class AuditServiceCollectionExtensions
{
    /// <summary>
    /// Registers the Audit options (validated at start-up, every error naming its key), the audit trail, the mail
    /// transport and the notification composer. Needs AddBuilderStore for the data source and BuildRepository.
    /// </summary>
    public static IServiceCollection AddBuilderAudit(this IServiceCollection services)
    {
        services.AddOptions<AuditOptions>().BindConfiguration(AuditOptions.Section).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<AuditOptions>, AuditOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<AuditRepository>();
        services.TryAddSingleton<AuditMessageSigner>();
        services.TryAddSingleton<AuditMailComposer>();
        services.TryAddSingleton<SmtpMailTransport>();
        services.TryAddSingleton(sp => new AuditRetryPolicy(sp.GetRequiredService<IOptions<AuditOptions>>()));
        services.TryAddSingleton(sp => new AuditTrail(
            sp.GetRequiredService<AuditRepository>(), sp.GetRequiredService<BuildRepository>(), sp.GetRequiredService<AuditMailComposer>(),
            sp.GetRequiredService<SmtpMailTransport>(), sp.GetRequiredService<AuditRetryPolicy>(), sp.GetRequiredService<IOptions<AuditOptions>>(),
            sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<AuditTrail>>()));
        services.TryAddSingleton(sp => new NotificationComposer(sp.GetRequiredService<AuditMailComposer>()));
        return services;
    }
}
