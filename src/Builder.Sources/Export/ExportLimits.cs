namespace Builder.Sources.Export;

/// <summary>Bounds of one export; both are checked from object headers before anything is written.</summary>
internal sealed record ExportLimits(long MaxBytes, int MaxEntries)
{
    public const int MaxDepth = 64;
    public const int MaxPathLength = 4096;
    public const int MaxLinkTargetLength = 4096;

    /// <summary>Symlink hops followed when checking where a link ends up (Linux's own limit is 40).</summary>
    public const int MaxLinkHops = 40;
}
