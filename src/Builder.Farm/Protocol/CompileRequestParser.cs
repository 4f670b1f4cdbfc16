using System.Buffers;
using System.Text;

namespace Builder.Farm.Protocol;

/// <summary>
/// Parses one client request (DIST, ARGC, ARGV×n, DOTI) from a buffer. Stateless: call again with more bytes
/// when it returns false; <c>needed</c> says how many more bytes at least are required, so a caller never re-parses
/// more often than the declared lengths demand. Every length is checked against its cap before any byte of the body
/// is awaited, so a hostile length costs nothing.
/// </summary>
internal static class CompileRequestParser
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <exception cref="ProtocolException">the bytes are not exactly a valid request within the limits.</exception>
    public static bool TryParse(ReadOnlySequence<byte> buffer, ProtocolLimits limits, out CompileRequest? request, out long needed)
    {
        request = null;
        if (!TryParseHead(buffer, limits, out var head, out needed))
        {
            return false;
        }
        var remaining = buffer.Length - head!.Length;
        if (remaining < head.SourceLength)
        {
            needed = head.SourceLength - remaining;
            return false;
        }
        var wire = buffer.Slice(head.Length, head.SourceLength);
        var source = BulkCodec.Decode(head.Version, wire, limits.MaxDecompressedBytes, "DOTI");
        needed = 0;
        request = new CompileRequest(head.Version, head.Argv, source);
        return true;
    }

    /// <summary>
    /// Parses DIST, ARGC, ARGV×n and the DOTI header, checking the DOTI length against its cap; the body is not
    /// needed, so the gateway can vet a job and wait for its slot before a byte of the body is buffered.
    /// </summary>
    /// <exception cref="ProtocolException">the bytes are not exactly a valid request head within the limits.</exception>
    public static bool TryParseHead(ReadOnlySequence<byte> buffer, ProtocolLimits limits, out RequestHead? head, out long needed)
    {
        head = null;
        var reader = new SequenceReader<byte>(buffer);
        if (!PacketHeader.TryRead(ref reader, "DIST", null, out var dist))
        {
            needed = PacketHeader.Size - reader.Remaining;
            return false;
        }
        var version = dist switch
        {
            1 => ProtocolVersion.Plain,
            2 => ProtocolVersion.Lzo,
            3 => throw new ProtocolException("DIST 00000003: protocol 3 (pump mode) is refused: it ships files by name"),
            _ => throw new ProtocolException($"DIST {dist:x8}: only protocol versions 1 and 2 are supported"),
        };
        if (!PacketHeader.TryRead(ref reader, "ARGC", version, out var argc))
        {
            needed = PacketHeader.Size - reader.Remaining;
            return false;
        }
        if (argc == 0 || argc > (uint)limits.MaxArgc)
        {
            throw new ProtocolException($"ARGC {argc} is outside 1..{limits.MaxArgc} (Farm:MaxArgc)", version);
        }
        var argv = new string[argc];
        for (var i = 0; i < argc; i++)
        {
            if (!PacketHeader.TryRead(ref reader, "ARGV", version, out var length))
            {
                needed = PacketHeader.Size - reader.Remaining;
                return false;
            }
            if (length > (uint)limits.MaxArgLength)
            {
                throw new ProtocolException($"ARGV {i} is {length} bytes, more than {limits.MaxArgLength} (Farm:MaxArgLength)", version);
            }
            if (reader.Remaining < length)
            {
                needed = length - reader.Remaining;
                return false;
            }
            var bytes = reader.UnreadSequence.Slice(0, length);
            argv[i] = DecodeArgument(bytes, i, version);
            reader.Advance(length);
        }
        if (!PacketHeader.TryRead(ref reader, "DOTI", version, out var sourceLength))
        {
            needed = PacketHeader.Size - reader.Remaining;
            return false;
        }
        if (sourceLength > (uint)limits.MaxSourceBytes)
        {
            throw new ProtocolException($"DOTI is {sourceLength} bytes, more than {limits.MaxSourceBytes} (Farm:MaxSourceBytes)", version);
        }
        needed = 0;
        head = new RequestHead(version, argv, sourceLength, (int)reader.Consumed);
        return true;
    }

    private static string DecodeArgument(ReadOnlySequence<byte> bytes, int index, ProtocolVersion version)
    {
        var span = bytes.IsSingleSegment ? bytes.FirstSpan : bytes.ToArray();
        var nul = span.IndexOf((byte)0);
        if (nul >= 0)
        {
            // distccd would cut the argument here, so the farm would see something else than was checked.
            throw new ProtocolException($"ARGV {index} holds a NUL byte at offset {nul}", version);
        }
        try
        {
            return StrictUtf8.GetString(span);
        }
        catch (DecoderFallbackException)
        {
            throw new ProtocolException($"ARGV {index} is not valid UTF-8", version);
        }
    }
}
