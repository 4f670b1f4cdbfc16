namespace Builder.Vm.Output;

/// <summary>Caps applied while reading a guest's output tar; nothing in the tar headers is trusted beyond them.</summary>
internal sealed record OutputLimits(long MaxFileSize, long MaxTotalSize, int MaxEntries)
{
    public static OutputLimits From(VmOptions options) => new(options.MaxArtifactSize, options.MaxOutputTotal, options.MaxArtifacts);
}
