using Builder.Audit.Mail;
using Builder.Audit.Notify;
using Builder.Audit.Options;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Builder.Audit;

public static class AuditServiceCollectionExtensions
{
    /// <summary>
    /// Registers the Audit options (validated at start-up, every error naming its key), the signer, the mail
    /// composer and transport and the notification composer. The chain's delivery (AuditTrail) is the daemon's
    /// (AddBuilderAuditDelivery), so this project needs no database.
    /// </summary>
    public static IServiceCollection AddBuilderAudit(this IServiceCollection services)
    {
        services.AddOptions<AuditOptions>().BindConfiguration(AuditOptions.Section).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<AuditOptions>, AuditOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<AuditMessageSigner>();
        services.TryAddSingleton<AuditMailComposer>();
        services.TryAddSingleton<SmtpMailTransport>();
        services.TryAddSingleton(sp => new NotificationComposer(sp.GetRequiredService<AuditMailComposer>()));
        return services;
    }
}
