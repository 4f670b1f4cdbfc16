using Builder.Store.Audit;

namespace Builder.Store.Builds;

/// <summary>
/// What <see cref="BuildRepository.EndAsync"/> or <see cref="BuildCompletion.SucceedAsync"/> committed: whether the build
/// moved to its final state and, with it, the attempt's build-end record (null when the attempt was not audited).
/// </summary>
public sealed record BuildEnding(bool Moved, StoredAuditRecord? Record)
{
    public static BuildEnding NotMoved { get; } = new(false, null);
}
