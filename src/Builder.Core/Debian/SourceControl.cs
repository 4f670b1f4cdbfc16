namespace Builder.Core.Debian;

/// <summary>The Source stanza of debian/control: what the build plan needs before anything is built.</summary>
public sealed record SourceControl(
    string Source,
    IReadOnlyList<Relation> BuildDepends,
    IReadOnlyList<Relation> BuildDependsIndep,
    IReadOnlyList<Relation> BuildDependsArch,
    IReadOnlyList<Relation> BuildConflicts);
