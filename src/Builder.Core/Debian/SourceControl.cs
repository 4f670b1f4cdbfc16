namespace Builder.Core.Debian;

/// <summary>
/// debian/control: the Source stanza (what the build plan needs before anything is built) and the binary stanzas
/// in file order, with unique names (what the build may hand back).
/// </summary>
public sealed record SourceControl(
    string Source,
    IReadOnlyList<Relation> BuildDepends,
    IReadOnlyList<Relation> BuildDependsIndep,
    IReadOnlyList<Relation> BuildDependsArch,
    IReadOnlyList<Relation> BuildConflicts,
    IReadOnlyList<BinaryControl> Binaries);
