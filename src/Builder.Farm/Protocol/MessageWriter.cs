using System.Buffers;
using System.Text;

namespace Builder.Farm.Protocol;

/// <summary>
/// Canonical encoding: what the gateway sends is always re-encoded from the parsed message, never the client's bytes,
/// so nothing the parser did not understand can reach a farm host. A message is produced as two segments, the
/// headers with the small bodies and then the large body (source or object), so the large body is never copied.
/// </summary>
internal static class MessageWriter
{
    public static EncodedMessage EncodeRequest(CompileRequest request)
    {
        var head = new ArrayBufferWriter<byte>(512);
        PacketHeader.Write(head, "DIST", (uint)request.Version);
        PacketHeader.Write(head, "ARGC", (uint)request.Argv.Count);
        foreach (var arg in request.Argv)
        {
            var bytes = Encoding.UTF8.GetBytes(arg);
            PacketHeader.Write(head, "ARGV", (uint)bytes.Length);
            head.Write(bytes);
        }
        var source = BulkCodec.Encode(request.Version, request.Source);
        PacketHeader.Write(head, "DOTI", (uint)source.Length);
        return new EncodedMessage(head.WrittenMemory, source);
    }

    public static EncodedMessage EncodeResponse(CompileResponse response)
    {
        var head = new ArrayBufferWriter<byte>(256 + response.Stderr.Length);
        PacketHeader.Write(head, "DONE", (uint)response.Version);
        PacketHeader.Write(head, "STAT", response.Status);
        WriteBulk(head, "SERR", response.Version, response.Stderr);
        WriteBulk(head, "SOUT", response.Version, response.Stdout);
        var obj = BulkCodec.Encode(response.Version, response.Object);
        PacketHeader.Write(head, "DOTO", (uint)obj.Length);
        return new EncodedMessage(head.WrittenMemory, obj);
    }

    public static byte[] Request(CompileRequest request) => EncodeRequest(request).ToArray();

    public static byte[] Response(CompileResponse response) => EncodeResponse(response).ToArray();

    private static void WriteBulk(IBufferWriter<byte> writer, string token, ProtocolVersion version, ReadOnlyMemory<byte> body)
    {
        var wire = BulkCodec.Encode(version, body);
        PacketHeader.Write(writer, token, (uint)wire.Length);
        writer.Write(wire.Span);
    }
}
