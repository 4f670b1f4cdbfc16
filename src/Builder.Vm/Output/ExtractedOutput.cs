namespace Builder.Vm.Output;

/// <summary>What a guest's output tar held once it passed every check.</summary>
internal sealed record ExtractedOutput(int? ExitStatus, IReadOnlyList<VmArtifact> Artifacts);
