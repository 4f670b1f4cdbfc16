using Builder.Vm.Jobs;

namespace Builder.Vm;

/// <summary>Runs one build in a disposable VM. Never throws for what happens inside the VM: that is the result's outcome.</summary>
public interface IVmRunner
{
    Task<VmRunResult> RunAsync(VmJob job, CancellationToken cancellationToken);
}
