using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Builder.Vm.Tests;

public sealed class VmServiceCollectionExtensionsTests
{
    private static ServiceProvider Build(Dictionary<string, string?> settings)
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        services.AddSingleton(typeof(Microsoft.Extensions.Logging.ILogger<>), typeof(NullLogger<>));
        services.AddBuilderVm();
        return services.BuildServiceProvider();
    }

    [Fact]
    public void The_Vm_section_binds_with_TimeSpans_and_the_runner_resolves()
    {
        using var provider = Build(new() { ["Vm:ImageDirectory"] = "/var/cache/builder/images/x", ["Vm:Timeout"] = "00:45:00", ["Vm:Accelerator"] = "tcg" });

        var options = provider.GetRequiredService<IOptions<VmOptions>>().Value;

        Assert.Equal(TimeSpan.FromMinutes(45), options.Timeout);
        Assert.Equal(VmAccelerator.Tcg, options.Accelerator);
        Assert.NotNull(provider.GetRequiredService<IVmRunner>());
    }

    [Fact]
    public void An_invalid_Vm_section_fails_naming_the_keys()
    {
        using var provider = Build(new() { ["Vm:Cpus"] = "0" });

        var e = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<VmOptions>>().Value);

        Assert.Contains("Vm:ImageDirectory is required", e.Message, StringComparison.Ordinal);
        Assert.Contains("Vm:Cpus must be 1..64, was 0", e.Message, StringComparison.Ordinal);
    }
}
