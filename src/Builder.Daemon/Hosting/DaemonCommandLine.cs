using System.CommandLine;
using Builder.Daemon.Pipeline;
using Builder.Store.Migrations;

namespace Builder.Daemon.Hosting;

/// <summary><c>builderd [run] [--config FILE]</c> and <c>builderd migrate [--config FILE]</c>.</summary>
internal static class DaemonCommandLine
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

        var testPausePoints = new Option<bool>(TestPausePoints.Switch)
        {
            Description = $"TEST ONLY, never in production: hold builds at the stage boundaries named in {TestPausePoints.PauseAtVariable} "
                + $"(marker files in {TestPausePoints.PauseDirectoryVariable}) so crash tests can kill the daemon there",
        };
        var run = new Command("run", "Run the daemon (the default when no command is given)");
        run.Options.Add(testPausePoints);
        run.SetAction((parse, ct) => RunAsync(parse.GetValue(config), parse.GetValue(testPausePoints), ct));
        root.Subcommands.Add(run);
        root.SetAction((parse, ct) => RunAsync(parse.GetValue(config), false, ct));

        var migrate = new Command("migrate", "Apply pending database migrations (sql/NNNN_*.sql) and exit");
        migrate.SetAction(async (parse, ct) =>
        {
            WebApplication app;
            try
            {
                app = BuilderDaemon.Create(parse.GetValue(config));
            }
            catch (Exception ex) when (ConfigurationErrors(ex) is { Count: > 0 } errors)
            {
                foreach (var error in errors)
                {
                    await Console.Error.WriteLineAsync($"builderd: configuration: {error}");
                }
                return 3;
            }
            await using var _ = app;
            var applied = await app.Services.GetRequiredService<MigrationRunner>().ApplyAsync(MigrationSet.Embedded, ct);
            await Console.Out.WriteLineAsync($"applied {applied} migration(s); schema at version {MigrationSet.Embedded[^1].Version:D4}");
            return 0;
        });
        root.Subcommands.Add(migrate);
        return root;
    }

    private static async Task<int> RunAsync(string? configFile, bool testPausePoints, CancellationToken cancellationToken)
    {
        var pauses = TestPausePoints.None;
        var pauseAt = Environment.GetEnvironmentVariable(TestPausePoints.PauseAtVariable);
        if (testPausePoints)
        {
            try
            {
                pauses = TestPausePoints.Parse(pauseAt, Environment.GetEnvironmentVariable(TestPausePoints.PauseDirectoryVariable));
            }
            catch (FormatException ex)
            {
                await Console.Error.WriteLineAsync($"builderd: {ex.Message}");
                return 2;
            }
            await Console.Error.WriteLineAsync($"builderd: TEST ONLY: builds are held at pause points {pauses} (markers in {pauses.Directory})");
        }
        else if (!string.IsNullOrEmpty(pauseAt))
        {
            await Console.Error.WriteLineAsync(
                $"builderd: warning: {TestPausePoints.PauseAtVariable} is set but ignored; it is a test-only variable honoured only with {TestPausePoints.Switch}");
        }

        WebApplication app;
        try
        {
            app = BuilderDaemon.Create(configFile, pausePoints: pauses);
        }
        catch (Exception ex) when (ConfigurationErrors(ex) is { Count: > 0 } errors)
        {
            foreach (var error in errors)
            {
                await Console.Error.WriteLineAsync($"builderd: configuration: {error}");
            }
            return 3;
        }
        await using (app)
        {
            await app.RunAsync(cancellationToken);
        }
        return 0;
    }

    /// <summary>The messages of a configuration failure (one per invalid key), or none when it is another failure.</summary>
    internal static IReadOnlyList<string> ConfigurationErrors(Exception ex) => ex switch
    {
        AggregateException agg when agg.InnerExceptions.All(e => ConfigurationErrors(e).Count > 0) => [.. agg.InnerExceptions.SelectMany(ConfigurationErrors)],
        Microsoft.Extensions.Options.OptionsValidationException ove => [.. ove.Failures],
        FileNotFoundException or InvalidDataException => [ex.Message],
        _ => [],
    };
}
