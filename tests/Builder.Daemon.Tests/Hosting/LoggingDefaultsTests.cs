using Builder.Daemon.Hosting;
using Builder.Tests.Common;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Builder.Daemon.Tests.Hosting;

public sealed class LoggingDefaultsTests
{
    private static Microsoft.AspNetCore.Builder.WebApplication Create(params (string Key, string Value)[] extra)
    {
        var dir = TestEnvironment.NewTempDirectory("logging");
        File.WriteAllText(Path.Combine(dir, "debian.sources"), "");
        var settings = new Dictionary<string, string?>
        {
            ["Database:ConnectionString"] = "Host=127.0.0.1;Port=1;Database=none;Username=none",
            ["Acl:Directory"] = dir,
            ["Packages:RepositoryUrl"] = "/srv/git/{package}.git",
            ["BuildDeps:SourceFiles:0"] = Path.Combine(dir, "debian.sources"),
            ["Pockets:dev:Branch"] = "dev",
            ["Scheduler:Enabled"] = "false",
        };
        foreach (var (key, value) in extra)
        {
            settings[key] = value;
        }
        return BuilderDaemon.Create(null, settings);
    }

    [Fact]
    public async Task Sql_statements_and_http_requests_are_not_logged_by_default_but_the_daemons_own_lines_are()
    {
        await using var app = Create();
        var loggers = app.Services.GetRequiredService<ILoggerFactory>();
        Assert.False(loggers.CreateLogger("Npgsql.Command").IsEnabled(LogLevel.Information));
        Assert.False(loggers.CreateLogger("Microsoft.AspNetCore.Routing.EndpointMiddleware").IsEnabled(LogLevel.Information));
        Assert.True(loggers.CreateLogger("Npgsql.Connection").IsEnabled(LogLevel.Warning));
        Assert.True(loggers.CreateLogger("Builder.Daemon.Pipeline.Stages.FinishStage").IsEnabled(LogLevel.Information));
        Assert.True(loggers.CreateLogger("Microsoft.Hosting.Lifetime").IsEnabled(LogLevel.Information));
    }

    [Fact]
    public async Task The_configuration_can_turn_library_logging_back_on()
    {
        await using var app = Create(("Logging:LogLevel:Npgsql", "Debug"));
        Assert.True(app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Npgsql.Command").IsEnabled(LogLevel.Information));
    }
}
