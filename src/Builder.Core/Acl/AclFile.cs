namespace Builder.Core.Acl;

/// <summary>
/// One entry of the tree as read: its relative path ("keys/alice.pub") and either its bytes or why it could not be
/// used (not a regular file, unreadable, too large).
/// </summary>
internal sealed record AclFile(string Path, byte[]? Content, string? Problem)
{
    public static AclFile Read(string path, byte[] content) => new(path, content, null);

    public static AclFile Unusable(string path, string problem) => new(path, null, problem);

    /// <summary>The directory part: "keys", "groups", "acl", or "" for an entry at the root.</summary>
    public string Directory => Path.IndexOf('/', StringComparison.Ordinal) is var i and >= 0 ? Path[..i] : "";

    public string Name => Path[(Path.IndexOf('/', StringComparison.Ordinal) + 1)..];
}
