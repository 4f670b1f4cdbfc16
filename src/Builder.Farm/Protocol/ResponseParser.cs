using System.Buffers;

namespace Builder.Farm.Protocol;

/// <summary>
/// Parses a farm host's answer (DONE, STAT, SERR, SOUT, DOTO) with the same rules as <see cref="CompileRequestParser"/>:
/// stateless, bounded, exact. The DONE version must be the one the gateway asked in.
/// </summary>
internal static class ResponseParser
{
    /// <exception cref="ProtocolException">the answer is not exactly valid within the limits.</exception>
    public static bool TryParse(ReadOnlySequence<byte> buffer, ProtocolVersion expected, ProtocolLimits limits, out CompileResponse? response, out long needed)
    {
        response = null;
        var reader = new SequenceReader<byte>(buffer);
        if (!PacketHeader.TryRead(ref reader, "DONE", expected, out var done))
        {
            needed = PacketHeader.Size - reader.Remaining;
            return false;
        }
        if (done != (uint)expected)
        {
            throw new ProtocolException($"DONE {done:x8} does not answer protocol {(int)expected}", expected);
        }
        if (!PacketHeader.TryRead(ref reader, "STAT", expected, out var status))
        {
            needed = PacketHeader.Size - reader.Remaining;
            return false;
        }
        var bodies = new ReadOnlyMemory<byte>[3];
        string[] tokens = ["SERR", "SOUT", "DOTO"];
        for (var i = 0; i < tokens.Length; i++)
        {
            if (!PacketHeader.TryRead(ref reader, tokens[i], expected, out var length))
            {
                needed = PacketHeader.Size - reader.Remaining;
                return false;
            }
            if (length > (uint)limits.MaxResultBytes)
            {
                throw new ProtocolException($"{tokens[i]} is {length} bytes, more than {limits.MaxResultBytes} (Farm:MaxResultBytes)", expected);
            }
            if (reader.Remaining < length)
            {
                needed = length - reader.Remaining;
                return false;
            }
            var wire = reader.UnreadSequence.Slice(0, length);
            bodies[i] = BulkCodec.Decode(expected, wire, limits.MaxResultBytes, tokens[i]);
            reader.Advance(length);
        }
        needed = 0;
        response = new CompileResponse(expected, status, bodies[0], bodies[1], bodies[2]);
        return true;
    }
}
