namespace Builder.Core.Acl;

/// <summary>
/// Everything read from an ACL tree before it is interpreted: the files in force and the problems of the tree's
/// structure (missing or unreadable directories). Parsing works on this, so it is testable without a disk.
/// </summary>
internal sealed record AclSnapshot(IReadOnlyList<AclFile> Files, IReadOnlyList<AclError> StructureErrors);
