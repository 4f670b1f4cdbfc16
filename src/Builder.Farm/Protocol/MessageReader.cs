using System.Buffers;

namespace Builder.Farm.Protocol;

/// <summary>
/// Reads exactly one message from a stream: bytes are buffered only as far as the parser asks for them, and the
/// parser has checked each declared length against its cap before asking, so memory stays bounded by the limits.
/// </summary>
internal static class MessageReader
{
    internal delegate bool Parser<T>(ReadOnlySequence<byte> buffer, out T? message, out long needed);

    /// <summary>Reads a client request.</summary>
    /// <exception cref="ProtocolException">invalid, or the peer closed before the request was complete.</exception>
    public static async Task<CompileRequest> ReadRequestAsync(Stream stream, ProtocolLimits limits, CancellationToken cancellationToken) =>
        (await ReadAsync(stream, (ReadOnlySequence<byte> b, out CompileRequest? m, out long n) => RequestParser.TryParse(b, limits, out m, out n),
            "request", null, cancellationToken)).Message;

    /// <summary>Reads a farm host's answer, and when its first bytes arrived (a <paramref name="time"/> timestamp).</summary>
    public static Task<(CompileResponse Message, long FirstBytesAt)> ReadResponseAsync(Stream stream, ProtocolVersion version, ProtocolLimits limits,
        TimeProvider time, CancellationToken cancellationToken) =>
        ReadAsync(stream, (ReadOnlySequence<byte> b, out CompileResponse? m, out long n) => ResponseParser.TryParse(b, version, limits, out m, out n),
            "answer", time, cancellationToken);

    private static async Task<(T Message, long FirstBytesAt)> ReadAsync<T>(Stream stream, Parser<T> parse, string what, TimeProvider? time,
        CancellationToken cancellationToken)
        where T : class
    {
        var buffer = new byte[16 * 1024];
        var count = 0;
        long firstBytesAt = 0;
        long needed = PacketHeader.Size;
        while (true)
        {
            var want = count + needed;
            if (want > buffer.Length)
            {
                // Grow to what the parser asked for (already capped), or double for small steps.
                Array.Resize(ref buffer, (int)Math.Max(want, Math.Min((long)buffer.Length * 2, int.MaxValue - 64)));
            }
            var target = count + needed;
            while (count < target)
            {
                var read = await stream.ReadAsync(buffer.AsMemory(count), cancellationToken);
                if (read == 0)
                {
                    ProtocolVersion? version = null;
                    try
                    {
                        parse(new ReadOnlySequence<byte>(buffer, 0, count), out _, out _);
                    }
                    catch (ProtocolException e)
                    {
                        version = e.Version;
                    }
                    throw new ProtocolException($"the peer closed the connection after {count} bytes, before the {what} was complete", version ?? GuessVersion(buffer, count));
                }
                if (count == 0 && time is not null)
                {
                    firstBytesAt = time.GetTimestamp();
                }
                count += read;
            }
            if (parse(new ReadOnlySequence<byte>(buffer, 0, count), out var message, out needed))
            {
                return (message!, firstBytesAt);
            }
        }
    }

    // A truncated request still tells its version when the DIST header was complete and valid.
    private static ProtocolVersion? GuessVersion(byte[] buffer, int count)
    {
        if (count < PacketHeader.Size)
        {
            return null;
        }
        var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(buffer, 0, PacketHeader.Size));
        try
        {
            return PacketHeader.TryRead(ref reader, "DIST", null, out var v) && v is 1 or 2 ? (ProtocolVersion)v : null;
        }
        catch (ProtocolException)
        {
            return null;
        }
    }
}
