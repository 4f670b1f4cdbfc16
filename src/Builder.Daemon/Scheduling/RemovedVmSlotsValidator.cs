using Builder.Core.Options;
using Builder.Vm;
using Microsoft.Extensions.Options;

namespace Builder.Daemon.Scheduling;

/// <summary>
/// Fails start when the configuration still sets <c>Vm:Slots</c>: the daemon's VM limit is <c>Scheduler:Slots</c>, so a
/// value left under the old key would otherwise be ignored silently and the host would run another count than written.
/// </summary>
internal sealed class RemovedVmSlotsValidator(IConfiguration configuration) : IValidateOptions<VmOptions>
{
    public ValidateOptionsResult Validate(string? name, VmOptions options)
    {
        var errors = new OptionsErrors();
        errors.Require(configuration[$"{VmOptions.Section}:Slots"] is null, "Vm:Slots is no longer read; set Scheduler:Slots");
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
