namespace Builder.Farm.Protocol;

/// <summary>Every size bound of the codec; built from <see cref="FarmOptions"/>.</summary>
internal sealed record ProtocolLimits(int MaxArgc, int MaxArgLength, int MaxSourceBytes, int MaxDecompressedBytes, int MaxResultBytes)
{
    public static ProtocolLimits From(FarmOptions o) =>
        new(o.MaxArgc, o.MaxArgLength, o.MaxSourceBytes, o.MaxDecompressedBytes, o.MaxResultBytes);
}
