namespace Builder.Core.Acl;

/// <summary>
/// One problem in an ACL tree. <see cref="File"/> is relative to the tree root with '/' separators ("acl/prod",
/// "keys/bob.pub", "groups/" for a directory, "" for the tree itself); <see cref="Line"/> is 1-based when the
/// problem is on a line.
/// </summary>
public sealed record AclError(string File, int? Line, string Message)
{
    /// <summary>"acl/prod line 3: unknown principal 'carol'", "keys/bob.pub: cannot read: Permission denied".</summary>
    public override string ToString() =>
        File.Length == 0 ? Message : Line is null ? $"{File}: {Message}" : $"{File} line {Line}: {Message}";
}
