namespace Builder.Core.Acl;

/// <summary>Bounds on what loading an ACL tree reads and reports, so a broken or hostile tree costs bounded work.</summary>
internal static class AclLimits
{
    /// <summary>Largest file read (1 MiB: thousands of keys or members).</summary>
    public const int MaxFileBytes = 1 << 20;

    /// <summary>Most entries read from one directory of the tree.</summary>
    public const int MaxEntriesPerDirectory = 10_000;

    /// <summary>Most bytes read from the whole tree.</summary>
    public const long MaxTreeBytes = 64L << 20;

    /// <summary>Errors reported per file before the rest are summarised in one line.</summary>
    public const int MaxErrorsPerFile = 50;
}
