using Builder.Core.Audit;
using Builder.Vm;
using Builder.Vm.Output.Binaries;

namespace Builder.Daemon.Pipeline.Stages;

/// <summary>A VM build that succeeded and passed the binary checks: what publishing takes from it.</summary>
internal sealed record BuiltOutput(VmRunResult Result, AuditCompileJobs? Compile, BinaryCheckResult Check);
