using System.Buffers;
using System.Text;

namespace Builder.Farm.Protocol;

/// <summary>
/// Canonical encoding: what the gateway sends is always re-encoded from the parsed message, never the client's bytes,
/// so nothing the parser did not understand can reach a farm host.
/// </summary>
internal static class MessageWriter
{
    public static void WriteRequest(IBufferWriter<byte> writer, CompileRequest request)
    {
        PacketHeader.Write(writer, "DIST", (uint)request.Version);
        PacketHeader.Write(writer, "ARGC", (uint)request.Argv.Count);
        foreach (var arg in request.Argv)
        {
            var bytes = Encoding.UTF8.GetBytes(arg);
            PacketHeader.Write(writer, "ARGV", (uint)bytes.Length);
            writer.Write(bytes);
        }
        WriteBulk(writer, "DOTI", request.Version, request.Source);
    }

    public static void WriteResponse(IBufferWriter<byte> writer, CompileResponse response)
    {
        PacketHeader.Write(writer, "DONE", (uint)response.Version);
        PacketHeader.Write(writer, "STAT", response.Status);
        WriteBulk(writer, "SERR", response.Version, response.Stderr);
        WriteBulk(writer, "SOUT", response.Version, response.Stdout);
        WriteBulk(writer, "DOTO", response.Version, response.Object);
    }

    public static byte[] Request(CompileRequest request)
    {
        var buffer = new ArrayBufferWriter<byte>(256 + request.Source.Length);
        WriteRequest(buffer, request);
        return buffer.WrittenSpan.ToArray();
    }

    public static byte[] Response(CompileResponse response)
    {
        var buffer = new ArrayBufferWriter<byte>(256 + response.Object.Length + response.Stderr.Length);
        WriteResponse(buffer, response);
        return buffer.WrittenSpan.ToArray();
    }

    private static void WriteBulk(IBufferWriter<byte> writer, string token, ProtocolVersion version, ReadOnlyMemory<byte> body)
    {
        var wire = BulkCodec.Encode(version, body);
        PacketHeader.Write(writer, token, (uint)wire.Length);
        writer.Write(wire.Span);
    }
}
