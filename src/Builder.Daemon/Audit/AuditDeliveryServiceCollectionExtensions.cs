using Builder.Audit;
using Builder.Audit.Mail;
using Builder.Audit.Options;
using Builder.Store.Audit;
using Builder.Store.Builds;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Builder.Daemon.Audit;

internal static class AuditDeliveryServiceCollectionExtensions
{
    /// <summary>
    /// Registers what Builder.Audit offers (AddBuilderAudit) and, on top, the audit trail that writes the chain in
    /// PostgreSQL and delivers it with the retry policy. It lives here, next to the AuditRetry job, so the auditor's
    /// CLI (which references Builder.Audit) ships no database driver. Needs AddBuilderStore.
    /// </summary>
    public static IServiceCollection AddBuilderAuditDelivery(this IServiceCollection services)
    {
        services.AddBuilderAudit();
        services.TryAddSingleton(sp => new AuditStamps(sp.GetRequiredService<IOptions<AuditOptions>>(), sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton(sp => new AuditRetryPolicy(sp.GetRequiredService<IOptions<AuditOptions>>()));
        services.TryAddSingleton(sp => new AuditTrail(
            sp.GetRequiredService<AuditRepository>(), sp.GetRequiredService<BuildRepository>(), sp.GetRequiredService<AuditMailComposer>(),
            sp.GetRequiredService<SmtpMailTransport>(), sp.GetRequiredService<AuditRetryPolicy>(), sp.GetRequiredService<IOptions<AuditOptions>>(),
            sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<AuditTrail>>()));
        return services;
    }
}
