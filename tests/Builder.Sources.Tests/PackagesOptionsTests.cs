using Builder.Sources.Mirrors;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Builder.Sources.Tests;

public sealed class PackagesOptionsTests
{
    [Fact]
    public void A_valid_section_binds_with_TimeSpan_values_and_resolves_the_services()
    {
        using var sp = Build(new()
        {
            ["Packages:RepositoryUrl"] = "https://git.example.org/debian/{package}.git",
            ["Packages:MirrorDirectory"] = "/var/cache/builder/mirrors",
            ["Packages:TaggerEmail"] = "builder@example.org",
            ["Packages:MirrorLockTimeout"] = "00:05:00",
        });

        var o = sp.GetRequiredService<IOptions<PackagesOptions>>().Value;
        Assert.Equal(TimeSpan.FromMinutes(5), o.MirrorLockTimeout);
        Assert.Equal(TimeSpan.FromMinutes(10), o.DpkgSourceTimeout);
        Assert.Equal("https://git.example.org/debian/hello.git", o.RepositoryUrlFor("hello"));
        Assert.NotNull(sp.GetRequiredService<PackageSources>());
        Assert.NotNull(sp.GetRequiredService<MirrorCache>());
    }

    [Fact]
    public void Every_invalid_key_is_reported_at_once_by_name()
    {
        using var sp = Build(new()
        {
            ["Packages:RepositoryUrl"] = "/srv/git/packages/hello.git",
            ["Packages:MirrorDirectory"] = "relative/mirrors",
            ["Packages:MaxExportBytes"] = "0",
            ["Packages:TaggerEmail"] = "not an address",
            ["Packages:FetchTimeout"] = "-00:00:01",
        });

        var ex = Assert.Throws<OptionsValidationException>(() => sp.GetRequiredService<IOptions<PackagesOptions>>().Value);
        Assert.Equal(
        [
            "Packages:RepositoryUrl must contain {package} (e.g. \"/srv/git/packages/{package}.git\")",
            "Packages:MirrorDirectory must be an absolute path (is \"relative/mirrors\")",
            "Packages:MaxExportBytes must be positive",
            "Packages:TaggerEmail must be an e-mail address like builder@example.org",
            "Packages:FetchTimeout must be a positive duration (e.g. \"00:10:00\")",
        ], ex.Failures);
    }

    private static ServiceProvider Build(Dictionary<string, string?> settings)
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        services.AddLogging();
        services.AddBuilderSources();
        return services.BuildServiceProvider();
    }
}
