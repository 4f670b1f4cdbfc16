using Builder.Daemon.Acl;
using Builder.Daemon.Hosting;
using Builder.Tests.Common;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Builder.Daemon.Tests.Hosting;

public sealed class ConfigurationValidationTests
{
    [Fact]
    public void Invalid_configuration_stops_start_up_with_every_error_naming_its_key()
    {
        var all = string.Join('\n', StartErrors(new()
        {
            ["Database:ConnectionString"] = null,
            ["Http:ReplayWindow"] = "02:00:00",
            ["Packages:RepositoryUrl"] = "/srv/git/packages/hello.git",
            ["Pockets:Bad_Name:Branch"] = "main",
            ["Logs:KeepFor"] = "00:10:00",
            ["Pipeline:KeepWorkFor"] = "00:00:00",
            ["Scheduler:CleanupInterval"] = "00:00:05",
            ["Scheduler:NonceExpiryInterval"] = "2.00:00:00",
            ["BuildDeps:Proxy"] = "http://proxy\";Dir \"/tmp",
        }));
        Assert.Contains("Database:ConnectionString is required", all, StringComparison.Ordinal);
        Assert.Contains("Http:ReplayWindow is 02:00:00", all, StringComparison.Ordinal);
        Assert.Contains("Packages:RepositoryUrl must contain {package}", all, StringComparison.Ordinal);
        Assert.Contains("Pockets:Bad_Name: 'Bad_Name' is not a valid pocket name", all, StringComparison.Ordinal);
        Assert.Contains("Logs:KeepFor must be at least 01:00:00", all, StringComparison.Ordinal);
        Assert.Contains("Pipeline:KeepWorkFor must be at least 01:00:00", all, StringComparison.Ordinal);
        Assert.Contains("Scheduler:CleanupInterval must be from 00:01:00 to 7.00:00:00", all, StringComparison.Ordinal);
        Assert.Contains("Scheduler:NonceExpiryInterval must be from 00:00:10 to 1.00:00:00", all, StringComparison.Ordinal);
        Assert.Contains("BuildDeps:Proxy must be empty or an http:// or https:// URL", all, StringComparison.Ordinal);
    }

    [Fact]
    public void Start_up_names_every_bad_key_of_one_section_and_each_missing_source_file_at_once()
    {
        var dir = TestEnvironment.NewTempDirectory("two-bad-keys");
        var errors = StartErrors(new()
        {
            ["Pockets:dev:Branch"] = "dev",
            ["Scheduler:Enabled"] = "false",
            ["Scheduler:Slots"] = "0",
            ["Scheduler:DispatchInterval"] = "00:00:00.01",
            ["BuildDeps:SourceFiles:0"] = Path.Combine(dir, "debian.sources"),
            ["BuildDeps:SourceFiles:1"] = Path.Combine(dir, "backports.sources"),
        });
        string[] expected =
        [
            $"BuildDeps:SourceFiles:0 names a file that does not exist ('{Path.Combine(dir, "debian.sources")}')",
            $"BuildDeps:SourceFiles:1 names a file that does not exist ('{Path.Combine(dir, "backports.sources")}')",
            "Scheduler:DispatchInterval must be at least 00:00:00.1 (is 00:00:00.0100000)",
            "Scheduler:Slots must be from 1 to 64 (is 0)",
        ];
        // Sections are validated in registration order; which comes first is not the point here.
        Assert.Equal(expected, errors.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void CopyFrom_and_BuildDepsFrom_must_name_other_configured_pockets_once_each()
    {
        var all = string.Join('\n', StartErrors(new()
        {
            ["Pockets:dev:Branch"] = "dev",
            ["Pockets:prod:Branch"] = "main",
            ["Pockets:prod:CopyFrom:0"] = "dev",
            ["Pockets:prod:CopyFrom:1"] = "dev",
            ["Pockets:prod:CopyFrom:2"] = "staging",
            ["Pockets:prod:BuildDepsFrom:0"] = "prod",
        }));
        Assert.Contains("Pockets:prod:CopyFrom:1: 'dev' is listed twice", all, StringComparison.Ordinal);
        Assert.Contains("Pockets:prod:CopyFrom:2: 'staging' is not a configured pocket", all, StringComparison.Ordinal);
        Assert.Contains("Pockets:prod:BuildDepsFrom:0: 'prod' names the pocket itself", all, StringComparison.Ordinal);
        Assert.DoesNotContain("Pockets:prod:CopyFrom:0", all, StringComparison.Ordinal);
    }

    [Fact]
    public void A_pocket_s_FarmPool_must_name_a_configured_farm_pool()
    {
        var all = string.Join('\n', StartErrors(new()
        {
            ["Farm:Pools:dev:0"] = "10.1.0.5:3632/8",
            ["Farm:Pools:prod:0"] = "10.1.0.6:3632/8",
            ["Pockets:dev:FarmPool"] = "dev",
            ["Pockets:prod:FarmPool"] = "production",
            ["Pockets:rc:Branch"] = "rc",
        }));
        Assert.Contains("Pockets:prod:FarmPool: 'production' is not a farm pool (Farm:Pools has dev, prod)", all, StringComparison.Ordinal);
        Assert.Contains("Pockets:rc:FarmPool is not set and Farm:Pools has no pool 'default': name this pocket's pool (dev, prod)", all, StringComparison.Ordinal);
        Assert.DoesNotContain("Pockets:dev:FarmPool", all, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_shipped_example_configuration_is_valid()
    {
        var path = Path.Combine(TestEnvironment.RepositoryRoot, "ops", "config", "builder.json");
        // The example names files an admin creates (certificates, the image); stand-ins let every validator run.
        var dir = TestEnvironment.NewTempDirectory("example-config");
        var signing = TestCertificates.WriteSigningPair(dir);
        foreach (var f in new[] { "smtp-credentials", "debian.sources" })
        {
            await File.WriteAllTextAsync(Path.Combine(dir, f), "");
        }
        await using var app = BuilderDaemon.Create(path, new Dictionary<string, string?>
        {
            ["Audit:SigningCertificateFile"] = signing.Certificate,
            ["Audit:SigningKeyFile"] = signing.Key,
            ["Audit:Smtp:CredentialsFile"] = Path.Combine(dir, "smtp-credentials"),
            ["BuildDeps:SourceFiles:0"] = Path.Combine(dir, "debian.sources"),
        });
        // Resolving each options type runs its validators, as ValidateOnStart does.
        Assert.Equal("/etc/builder/acl", app.Services.GetRequiredService<IOptions<AclOptions>>().Value.Directory);
        Assert.True(app.Services.GetRequiredService<IOptions<PocketsOptions>>().Value["dev"].AllowBacktracking);
        Assert.Equal(TimeSpan.FromMinutes(5), app.Services.GetRequiredService<IOptions<HttpApiOptions>>().Value.ReplayWindow);
        Assert.Contains("dev-builds@example.org", app.Services.GetRequiredService<IOptions<PocketsOptions>>().Value["dev"].NotifyTo);
    }

    [Fact]
    public void A_missing_config_file_given_with_config_is_an_error_naming_it()
    {
        var ex = Assert.Throws<FileNotFoundException>(() => BuilderDaemon.Create("/nonexistent/builder.json"));
        Assert.Contains("/nonexistent/builder.json", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0, "Http:MaxRequestBodyBytes is 0")]
    [InlineData(4096, null)]
    public void Body_limit_is_validated(int bytes, string? error)
    {
        var result = new HttpApiOptionsValidator().Validate(null, new HttpApiOptions { MaxRequestBodyBytes = bytes });
        if (error is null)
        {
            Assert.True(result.Succeeded);
        }
        else
        {
            Assert.Contains(error, result.FailureMessage, StringComparison.Ordinal);
        }
    }

    /// <summary>
    /// The errors that stop start-up of a daemon configured with the smallest valid settings (database, HTTP, ACL
    /// directory, package URL) changed by <paramref name="changes"/>; a null value removes the setting.
    /// </summary>
    private static IReadOnlyList<string> StartErrors(Dictionary<string, string?> changes)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Database:ConnectionString"] = "Host=127.0.0.1",
            ["Http:Urls"] = "http://127.0.0.1:0",
            ["Acl:Directory"] = Path.GetTempPath(),
            ["Packages:RepositoryUrl"] = "/srv/git/packages/{package}.git",
        };
        foreach (var (key, value) in changes)
        {
            if (value is null)
            {
                settings.Remove(key);
            }
            else
            {
                settings[key] = value;
            }
        }
        var ex = Assert.ThrowsAny<Exception>(() => BuilderDaemon.Create(null, settings));
        return [.. DaemonCommandLine.ConfigurationErrors(ex)];
    }
}
