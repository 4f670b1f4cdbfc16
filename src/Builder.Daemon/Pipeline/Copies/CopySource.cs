using Builder.Core.Audit;

namespace Builder.Daemon.Pipeline.Copies;

/// <summary>
/// The build a cross-pocket copy takes its binaries from: its id, pocket and build-end record seq, and the facts that
/// record carries (the VM image and the build-deps with their origins), which the copy's own records repeat.
/// </summary>
internal sealed record CopySource(long BuildId, string Pocket, long EndSeq, string Image, IReadOnlyList<AuditBuildDependency> BuildDeps);
