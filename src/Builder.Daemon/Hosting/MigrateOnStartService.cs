using Builder.Store;
using Builder.Store.Migrations;
using Microsoft.Extensions.Options;

namespace Builder.Daemon.Hosting;

/// <summary>Applies pending migrations before the HTTP server starts (hosted services start in registration order).</summary>
internal sealed class MigrateOnStartService(MigrationRunner runner, IOptions<StoreOptions> options) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (options.Value.MigrateOnStart)
        {
            await runner.ApplyAsync(MigrationSet.Embedded, cancellationToken);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
