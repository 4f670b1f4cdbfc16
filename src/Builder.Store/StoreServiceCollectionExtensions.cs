using Builder.Store.Builds;
using Builder.Store.Migrations;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Builder.Store;

public static class StoreServiceCollectionExtensions
{
    /// <summary>Registers the data source (from <c>Database:ConnectionString</c>), the migration runner and the repositories.</summary>
    public static IServiceCollection AddBuilderStore(this IServiceCollection services)
    {
        services.AddOptions<StoreOptions>().BindConfiguration(StoreOptions.Section)
            .Validate(o => !string.IsNullOrWhiteSpace(o.ConnectionString),
                "Database:ConnectionString is required (e.g. \"Host=/run/postgresql;Database=builder;Username=builder\")")
            .ValidateOnStart();
        services.AddSingleton(sp =>
        {
            var builder = new NpgsqlDataSourceBuilder(sp.GetRequiredService<IOptions<StoreOptions>>().Value.ConnectionString);
            builder.UseLoggerFactory(sp.GetService<Microsoft.Extensions.Logging.ILoggerFactory>());
            return builder.Build();
        });
        services.AddSingleton<MigrationRunner>();
        services.AddSingleton<BuildRepository>();
        services.TryAddSingleton<BuildCompletion>();
        services.TryAddSingleton<Sources.PocketHeadRepository>();
        services.TryAddSingleton<Instances.InstanceRepository>();
        services.TryAddSingleton<Audit.AuditRepository>();
        return services;
    }
}
