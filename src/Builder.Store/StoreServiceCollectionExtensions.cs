using Builder.Store.Builds;
using Builder.Store.Migrations;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Builder.Store;

public static class StoreServiceCollectionExtensions
{
    /// <summary>
    /// Registers the <c>Database</c> options (validated at start-up), the data source, the migration runner and the repositories.
    /// </summary>
    public static IServiceCollection AddBuilderStore(this IServiceCollection services)
    {
        services.AddOptions<StoreOptions>().BindConfiguration(StoreOptions.Section).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<StoreOptions>, StoreOptionsValidator>());
        services.AddSingleton(sp =>
        {
            var builder = new NpgsqlDataSourceBuilder(sp.GetRequiredService<IOptions<StoreOptions>>().Value.ConnectionString);
            builder.UseLoggerFactory(sp.GetService<Microsoft.Extensions.Logging.ILoggerFactory>());
            if (builder.ConnectionStringBuilder.MaxAutoPrepare == 0)
            {
                // The daemon runs a small fixed set of statements all day: prepare each on first reuse so PostgreSQL
                // parses and plans it once per connection instead of once per request (Npgsql's reset on returning a
                // pooled connection keeps prepared statements). An explicit "Max Auto Prepare" in the string wins.
                builder.ConnectionStringBuilder.MaxAutoPrepare = 64;
                builder.ConnectionStringBuilder.AutoPrepareMinUsages = 2;
                builder.ConnectionStringBuilder.NoResetOnClose = true;
            }
            return builder.Build();
        });
        services.AddSingleton<MigrationRunner>();
        services.AddSingleton<BuildRepository>();
        services.TryAddSingleton<BuildCompletion>();
        services.TryAddSingleton<ProvenanceRepository>();
        services.TryAddSingleton<Sources.PocketHeadRepository>();
        services.TryAddSingleton<Instances.InstanceRepository>();
        services.TryAddSingleton<Audit.AuditRepository>();
        return services;
    }
}
