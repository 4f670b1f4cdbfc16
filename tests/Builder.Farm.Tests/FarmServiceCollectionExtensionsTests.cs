using Builder.Farm.Gateway;
using Builder.Farm.Records;
using Builder.Farm.Tests.Support;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Builder.Farm.Tests;

public sealed class FarmServiceCollectionExtensionsTests
{
    [Fact]
    public async Task A_host_with_an_invalid_Farm_section_refuses_to_start_naming_the_keys()
    {
        using var host = Host(new Dictionary<string, string?>
        {
            ["Farm:Hosts:0"] = "farm1:3632",
            ["Farm:PerBuildConcurrency"] = "0",
        });

        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Equal(
        [
            "Farm:Hosts:0 'farm1:3632' is not host:port/slots (e.g. 10.1.0.5:3632/8)",
            "Farm:PerBuildConcurrency is 0: it must be between 1 and 1024",
        ], ex.Failures);
    }

    [Fact]
    public void The_Farm_section_binds_hosts_compilers_and_limits()
    {
        using var host = Host(new Dictionary<string, string?>
        {
            ["Farm:Hosts:0"] = "10.1.0.5:3632/8",
            ["Farm:Compilers:gcc"] = "x86_64-linux-gnu-gcc-12",
            ["Farm:MaxArgc"] = "100",
            ["Farm:HealthInterval"] = "00:00:30",
        });

        var options = host.Services.GetRequiredService<IOptions<FarmOptions>>().Value;

        Assert.Equal(["10.1.0.5:3632/8"], options.Hosts);
        Assert.Equal("x86_64-linux-gnu-gcc-12", options.Compilers["gcc"]);
        Assert.Equal(100, options.MaxArgc);
        Assert.Equal(TimeSpan.FromSeconds(30), options.HealthInterval);
        Assert.Equal("10.1.0.5:3632", Assert.Single(host.Services.GetRequiredService<IFarmGateway>().Hosts).Name);
    }

    private static IHost Host(Dictionary<string, string?> settings)
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddSingleton<ICompileJobSink, RecordingSink>();
        builder.Services.AddBuilderFarm();
        return builder.Build();
    }
}
