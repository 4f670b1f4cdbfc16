namespace Builder.Vm.Output;

/// <summary>
/// Caps applied while reading a guest's output tar; nothing in the tar headers is trusted beyond them.
/// <paramref name="MaxMetadata"/> bounds the tar blocks of PAX and GNU long-name headers together; <paramref name="DiskSize"/>
/// is the output disk's size, which no size field can honestly exceed.
/// </summary>
internal sealed record OutputLimits(long MaxFileSize, long MaxTotalSize, int MaxEntries, long MaxMetadata, long DiskSize)
{
    public static OutputLimits From(VmOptions options) =>
        new(options.MaxArtifactSize, options.MaxOutputTotal, options.MaxArtifacts, options.MaxTarMetadata, options.OutputSize);
}
