using Builder.Daemon.Api;
using Builder.Daemon.Audit;
using Builder.Daemon.Logs;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Builder.Daemon.Hosting;

/// <summary>Composition of builderd: configuration sources, services, Kestrel, endpoints.</summary>
internal static class BuilderDaemon
{
    public const string DefaultConfigFile = "/etc/builder/builder.json";
    public const string EnvironmentPrefix = "BUILDER__";

    private static readonly Dictionary<string, string?> LoggingDefaults = new()
    {
        ["Logging:LogLevel:Default"] = "Information",
        ["Logging:LogLevel:Npgsql"] = "Warning",
        ["Logging:LogLevel:Microsoft.AspNetCore"] = "Warning",
    };

    /// <summary>
    /// Builds the daemon. Configuration: <paramref name="configFile"/> (required when given; else
    /// /etc/builder/builder.json if present), then <c>BUILDER__Section__Key</c> environment variables, then
    /// <paramref name="overrides"/> (tests). <paramref name="pausePoints"/> is for crash tests only (<c>--test-pause-points</c>).
    /// </summary>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">one invalid setting (AggregateException of them for several).</exception>
    public static WebApplication Create(string? configFile, IEnumerable<KeyValuePair<string, string?>>? overrides = null,
        Pipeline.TestPausePoints? pausePoints = null)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        builder.Configuration.Sources.Clear();
        // Quiet defaults for libraries that log every SQL statement and every HTTP request at Information; a
        // Logging:LogLevel:<category> in the file or the environment overrides them.
        builder.Configuration.AddInMemoryCollection(LoggingDefaults);
        if (configFile is not null)
        {
            if (!File.Exists(configFile))
            {
                throw new FileNotFoundException($"configuration file {configFile} not found", configFile);
            }
            builder.Configuration.AddJsonFile(Path.GetFullPath(configFile), optional: false, reloadOnChange: false);
        }
        else
        {
            builder.Configuration.AddJsonFile(DefaultConfigFile, optional: true, reloadOnChange: false);
        }
        builder.Configuration.AddEnvironmentVariables(EnvironmentPrefix);
        if (overrides is not null)
        {
            builder.Configuration.AddInMemoryCollection(overrides);
        }

        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
            o.UseUtcTimestamp = true;
        });

        var urls = builder.Configuration[$"{HttpApiOptions.Section}:{nameof(HttpApiOptions.Urls)}"] ?? new HttpApiOptions().Urls;
        builder.WebHost.UseUrls(urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.AddServerHeader = false;
            // The only endpoint with a body caps it itself (BodyReader); this is the backstop for everything else.
            k.Limits.MaxRequestBodySize = 1024 * 1024;
            k.Limits.MaxRequestHeadersTotalSize = 16 * 1024;
        });
        builder.Services.Configure<KestrelServerOptions>(_ => { });
        builder.Services.AddSingleton(pausePoints ?? Pipeline.TestPausePoints.None);
        builder.Services.AddBuilderDaemon(builder.Configuration);

        var app = builder.Build();
        // Validate every section now, all errors at once, before any service is constructed (a hosted service that
        // needs the database would otherwise surface only the Database error).
        app.Services.GetRequiredService<Microsoft.Extensions.Options.IStartupValidator>().Validate();
        app.MapBuilderApi();
        app.MapBuildLogApi();
        app.MapAuditApi();
        return app;
    }
}
