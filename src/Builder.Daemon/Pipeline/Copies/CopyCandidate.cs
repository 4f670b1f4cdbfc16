using Builder.Core.Audit;

namespace Builder.Daemon.Pipeline.Copies;

/// <summary>
/// A succeeded build of the same commit in another pocket, with its build-end audit record (null when the chain has
/// none for its last attempt): what the copy policy judges.
/// </summary>
internal sealed record CopyCandidate(long BuildId, string Pocket, string Version, long? EndSeq, AuditRecord? End);
