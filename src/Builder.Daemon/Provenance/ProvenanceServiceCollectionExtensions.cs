using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Builder.Daemon.Provenance;

internal static class ProvenanceServiceCollectionExtensions
{
    /// <summary>
    /// The provenance signer and facts builder. Needs AddBuilderAuditDelivery (the audit signing key and options) and
    /// AddBuilderStore (ProvenanceRepository, which serves and stores the envelopes).
    /// </summary>
    public static IServiceCollection AddBuilderProvenance(this IServiceCollection services)
    {
        services.TryAddSingleton<ProvenanceSigner>();
        services.TryAddSingleton<ProvenanceFactsBuilder>();
        return services;
    }
}
