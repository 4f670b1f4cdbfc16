namespace Builder.Farm.Protocol;

/// <summary>Bulk bodies (DOTI, DOTO, SERR, SOUT) as protocol 1 (plain) or protocol 2 (LZO1X; empty stays empty) sends them.</summary>
internal static class BulkCodec
{
    public static ReadOnlyMemory<byte> Decode(ProtocolVersion version, ReadOnlySpan<byte> wire, int maxDecoded, string what)
    {
        if (version == ProtocolVersion.Plain || wire.IsEmpty)
        {
            return wire.ToArray();
        }
        return Lzo.Decompress(wire, maxDecoded, what, version);
    }

    public static ReadOnlyMemory<byte> Encode(ProtocolVersion version, ReadOnlyMemory<byte> body) =>
        version == ProtocolVersion.Plain || body.IsEmpty ? body : Lzo.Compress(body.Span);
}
