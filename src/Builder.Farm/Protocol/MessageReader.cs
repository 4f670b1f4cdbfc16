using System.Buffers;

namespace Builder.Farm.Protocol;

/// <summary>
/// Reads exactly one message from a stream: bytes are buffered only as they arrive and only as far as the parser asks
/// for them, and the parser has checked each declared length against its cap before asking, so memory stays bounded
/// by the limits and by what the peer actually sent (<see cref="MessageBuffer"/>).
/// </summary>
internal static class MessageReader
{
    internal delegate bool Parser<T>(ReadOnlySequence<byte> buffer, out T? message, out long needed);

    /// <summary>Reads a client request whole (head and body), without a budget.</summary>
    /// <exception cref="ProtocolException">invalid, or the peer closed before the request was complete.</exception>
    public static async Task<CompileRequest> ReadRequestAsync(Stream stream, ProtocolLimits limits, CancellationToken cancellationToken)
    {
        var buffer = new MessageBuffer(stream, "request");
        var head = await ReadRequestHeadAsync(buffer, limits, cancellationToken);
        return await ReadRequestBodyAsync(buffer, head, limits, null, cancellationToken);
    }

    /// <summary>Reads a request up to its DOTI header (argv bounded by Farm:MaxArgc × Farm:MaxArgLength); the body stays unread.</summary>
    /// <exception cref="ProtocolException">invalid, or the peer closed before the head was complete.</exception>
    public static async Task<RequestHead> ReadRequestHeadAsync(MessageBuffer buffer, ProtocolLimits limits, CancellationToken cancellationToken) =>
        (await ReadAsync(buffer, (ReadOnlySequence<byte> b, out RequestHead? m, out long n) => CompileRequestParser.TryParseHead(b, limits, out m, out n),
            cancellationToken)).Message;

    /// <summary>Reads the DOTI body after <paramref name="head"/>, charging <paramref name="budget"/> as the buffer and the decompressed body grow.</summary>
    /// <exception cref="ProtocolException">invalid, or the peer closed before the body was complete.</exception>
    /// <exception cref="ByteBudgetExceededException">the budget had no room.</exception>
    public static async Task<CompileRequest> ReadRequestBodyAsync(MessageBuffer buffer, RequestHead head, ProtocolLimits limits, IByteBudget? budget,
        CancellationToken cancellationToken)
    {
        buffer.Budget = budget;
        try
        {
            await buffer.FillAsync((long)head.Length + head.SourceLength, cancellationToken);
        }
        catch (EndOfStreamException e)
        {
            throw new ProtocolException(e.Message, head.Version);
        }
        var wire = new ReadOnlySequence<byte>(buffer.Received.Slice(head.Length, (int)head.SourceLength));
        var source = BulkCodec.Decode(head.Version, wire, limits.MaxDecompressedBytes, "DOTI", budget);
        return new CompileRequest(head.Version, head.Argv, source);
    }

    /// <summary>Reads a farm host's answer, and when its first bytes arrived (a <paramref name="time"/> timestamp).</summary>
    public static async Task<(CompileResponse Message, long FirstBytesAt)> ReadResponseAsync(Stream stream, ProtocolVersion version, ProtocolLimits limits,
        TimeProvider time, CancellationToken cancellationToken)
    {
        var buffer = new MessageBuffer(stream, "answer", time);
        var (message, _) = await ReadAsync(buffer, (ReadOnlySequence<byte> b, out CompileResponse? m, out long n) =>
            ResponseParser.TryParse(b, version, limits, out m, out n), cancellationToken);
        return (message, buffer.FirstBytesAt);
    }

    private static async Task<(T Message, int Count)> ReadAsync<T>(MessageBuffer buffer, Parser<T> parse, CancellationToken cancellationToken)
        where T : class
    {
        long needed = PacketHeader.Size;
        while (true)
        {
            try
            {
                await buffer.FillAsync(buffer.Count + needed, cancellationToken);
            }
            catch (EndOfStreamException e)
            {
                ProtocolVersion? version = null;
                try
                {
                    parse(new ReadOnlySequence<byte>(buffer.Received), out _, out _);
                }
                catch (ProtocolException pe)
                {
                    version = pe.Version;
                }
                throw new ProtocolException(e.Message, version ?? GuessVersion(buffer.Received.Span));
            }
            if (parse(new ReadOnlySequence<byte>(buffer.Received), out var message, out needed))
            {
                return (message!, buffer.Count);
            }
        }
    }

    // A truncated request still tells its version when the DIST header was complete and valid.
    private static ProtocolVersion? GuessVersion(ReadOnlySpan<byte> received)
    {
        if (received.Length < PacketHeader.Size)
        {
            return null;
        }
        var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(received[..PacketHeader.Size].ToArray()));
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
