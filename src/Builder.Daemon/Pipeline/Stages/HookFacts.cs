using Builder.Store.Builds;
using Builder.Vm;

namespace Builder.Daemon.Pipeline.Stages;

/// <summary>What a hook is told about the build: its plan (if any), state name, failed stage, VM result, stored row.</summary>
internal sealed record HookFacts(string State, BuildPlan? Plan)
{
    public string? FailedStage { get; init; }

    public VmRunResult? Result { get; init; }

    public BuildRecord? Current { get; init; }
}
