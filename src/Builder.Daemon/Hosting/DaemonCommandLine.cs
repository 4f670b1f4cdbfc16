using System.CommandLine;
using Builder.Store.Migrations;

namespace Builder.Daemon.Hosting;

/// <summary><c>builderd [run] [--config FILE]</c> and <c>builderd migrate [--config FILE]</c>.</summary>
public static class DaemonCommandLine
{
    public static RootCommand Create()
    {
        var config = new Option<string?>("--config", "-c")
        {
            Description = $"Configuration file (default {BuilderDaemon.DefaultConfigFile}); BUILDER__Section__Key environment variables override it",
            Recursive = true,
        };
        var root = new RootCommand("""
            builderd — the Builder queue daemon: accepts signed build requests (HTTP API), audits, builds in disposable VMs, publishes.

            Configuration: /etc/builder/builder.json or --config FILE, then BUILDER__Section__Key environment variables
            (e.g. BUILDER__Database__ConnectionString). Invalid configuration stops the daemon with messages naming each key.
            """);
        root.Options.Add(config);

        var run = new Command("run", "Run the daemon (the default when no command is given)");
        run.SetAction((parse, ct) => RunAsync(parse.GetValue(config), ct));
        root.Subcommands.Add(run);
        root.SetAction((parse, ct) => RunAsync(parse.GetValue(config), ct));

        var migrate = new Command("migrate", "Apply pending database migrations (sql/NNNN_*.sql) and exit");
        migrate.SetAction(async (parse, ct) =>
        {
            await using var app = BuilderDaemon.Create(parse.GetValue(config));
            var applied = await app.Services.GetRequiredService<MigrationRunner>().ApplyAsync(MigrationSet.Embedded, ct);
            await Console.Out.WriteLineAsync($"applied {applied} migration(s); schema at version {MigrationSet.Embedded[^1].Version:D4}");
            return 0;
        });
        root.Subcommands.Add(migrate);
        return root;
    }

    private static async Task<int> RunAsync(string? configFile, CancellationToken cancellationToken)
    {
        try
        {
            await using var app = BuilderDaemon.Create(configFile);
            await app.RunAsync(cancellationToken);
            return 0;
        }
        catch (Exception ex) when (ex is Microsoft.Extensions.Options.OptionsValidationException or FileNotFoundException or InvalidDataException)
        {
            await Console.Error.WriteLineAsync($"builderd: {ex.Message}");
            return 3;
        }
    }
}
