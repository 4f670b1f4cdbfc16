using Builder.Daemon.Scheduling;
using Builder.Vm;
using Microsoft.Extensions.Configuration;

namespace Builder.Daemon.Tests.Scheduling;

public sealed class RemovedVmSlotsValidatorTests
{
    [Fact]
    public void A_configuration_that_still_sets_Vm_Slots_fails_naming_the_replacement()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Vm:Slots"] = "2" }).Build();
        var result = new RemovedVmSlotsValidator(configuration).Validate(null, new VmOptions());
        Assert.True(result.Failed);
        Assert.Equal(["Vm:Slots is no longer read; set Scheduler:Slots"], result.Failures);
    }

    [Fact]
    public void A_configuration_without_Vm_Slots_passes()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Vm:Cpus"] = "2" }).Build();
        Assert.True(new RemovedVmSlotsValidator(configuration).Validate(null, new VmOptions()).Succeeded);
    }
}
