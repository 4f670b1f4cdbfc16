using System.Buffers;

namespace Builder.Farm.Protocol;

/// <summary>Bulk bodies (DOTI, DOTO, SERR, SOUT) as protocol 1 (plain) or protocol 2 (LZO1X; empty stays empty) sends them.</summary>
internal static class BulkCodec
{
    /// <summary>
    /// The body of a message. A plain body in one segment is returned as a slice of <paramref name="wire"/> (no copy):
    /// the readers hand each message a buffer of its own that is never reused.
    /// </summary>
    public static ReadOnlyMemory<byte> Decode(ProtocolVersion version, ReadOnlySequence<byte> wire, int maxDecoded, string what, IByteBudget? budget = null)
    {
        if (version == ProtocolVersion.Plain || wire.IsEmpty)
        {
            return wire.IsSingleSegment ? wire.First : wire.ToArray();
        }
        return Lzo.Decompress(wire.IsSingleSegment ? wire.FirstSpan : wire.ToArray(), maxDecoded, what, version, budget);
    }

    public static ReadOnlyMemory<byte> Encode(ProtocolVersion version, ReadOnlyMemory<byte> body) =>
        version == ProtocolVersion.Plain || body.IsEmpty ? body : Lzo.Compress(body.Span);
}
