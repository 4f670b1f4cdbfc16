namespace Builder.Vm.Output.Binaries;

/// <summary>
/// Caps for reading a guest-made package. A control member is small (a few KiB; tens of MiB for the md5sums of the
/// largest packages), so the defaults leave ample room for real packages and none for decompression bombs.
/// </summary>
public sealed record DebReaderLimits
{
    /// <summary>The defaults below.</summary>
    public static DebReaderLimits Default { get; } = new();

    /// <summary>Largest control member as stored in the ar archive (compressed): 16 MiB. It is read into memory.</summary>
    public long MaxControlMemberSize { get; init; } = 16L << 20;

    /// <summary>
    /// Most bytes read out of the decompressor (the control tar with headers, every entry and padding): 64 MiB.
    /// Counted under the tar parser, so no tar header can make it read or allocate past this.
    /// </summary>
    public long MaxControlTarSize { get; init; } = 64L << 20;

    /// <summary>Largest <c>./control</c> file: 1 MiB, as debian/control.</summary>
    public int MaxControlFileSize { get; init; } = 1 << 20;

    /// <summary>Most entries in the control tar: 1000 (dpkg-deb writes about ten).</summary>
    public int MaxControlTarEntries { get; init; } = 1000;

    /// <summary>
    /// Largest xz dictionary or zstd window a control member may ask for: 64 MiB (what <c>xz -9</c> uses). The
    /// decoders allocate this much up front, so a crafted header could otherwise ask for 1.5 GiB.
    /// </summary>
    public int MaxDictionarySize { get; init; } = 64 << 20;

    /// <summary>Most fields in the control file: 200, as debian/control.</summary>
    public int MaxControlFields { get; init; } = 200;
}
