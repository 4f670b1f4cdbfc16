using Builder.Core.Audit;
using Builder.Core.Builds;
using Builder.Vm;

namespace Builder.Daemon.Pipeline;

/// <summary>
/// How a build ends: its final state, the stage that failed and why, and what its paperwork (build-end record,
/// mail, hooks) reports. <see cref="Audited"/>: the attempt has a build-start record, so it gets a build-end record.
/// </summary>
internal sealed record BuildOutcome(BuildState State)
{
    public const string CancelReason = "cancelled on request";

    public string? FailedStage { get; init; }

    public string? Reason { get; init; }

    public BuildPlan? Plan { get; init; }

    public bool Audited { get; init; }

    public VmRunResult? Result { get; init; }

    public AuditCompileJobs? Compile { get; init; }

    /// <summary>A success's signed provenance (its sha256 goes into the build-end record); null otherwise.</summary>
    public Provenance.SignedProvenance? Provenance { get; init; }

    public static BuildOutcome Failed(string stage, string reason) => new(BuildState.Failed) { FailedStage = stage, Reason = reason };

    public static BuildOutcome Cancelled { get; } = new(BuildState.Cancelled) { Reason = CancelReason };
}
