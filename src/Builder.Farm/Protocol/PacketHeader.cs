using System.Buffers;

namespace Builder.Farm.Protocol;

/// <summary>
/// The 12-byte packet header: exactly the expected 4-character token, then exactly 8 lowercase hex digits
/// (what distcc writes with "%08x"). Anything else is refused; nothing is skipped or guessed.
/// </summary>
internal static class PacketHeader
{
    public const int Size = 12;

    /// <summary>Reads one header; false when fewer than 12 bytes are buffered.</summary>
    /// <exception cref="ProtocolException">the token is not <paramref name="token"/> or the value is not 8 lowercase hex digits.</exception>
    public static bool TryRead(ref SequenceReader<byte> reader, string token, ProtocolVersion? version, out uint value)
    {
        value = 0;
        Span<byte> header = stackalloc byte[Size];
        if (!reader.TryCopyTo(header))
        {
            return false;
        }
        for (var i = 0; i < 4; i++)
        {
            if (header[i] != token[i])
            {
                throw new ProtocolException($"expected a {token} header, got '{Printable(header[..4])}'", version);
            }
        }
        for (var i = 4; i < Size; i++)
        {
            var c = header[i];
            int digit = c switch
            {
                >= (byte)'0' and <= (byte)'9' => c - '0',
                >= (byte)'a' and <= (byte)'f' => c - 'a' + 10,
                _ => -1,
            };
            if (digit < 0)
            {
                throw new ProtocolException($"{token} header value '{Printable(header[4..])}' is not 8 lowercase hex digits", version);
            }
            value = (value << 4) | (uint)digit;
        }
        reader.Advance(Size);
        return true;
    }

    public static void Write(IBufferWriter<byte> writer, string token, uint value)
    {
        var span = writer.GetSpan(Size);
        for (var i = 0; i < 4; i++)
        {
            span[i] = (byte)token[i];
        }
        for (var i = 0; i < 8; i++)
        {
            var nibble = (int)((value >> (28 - (4 * i))) & 0xf);
            span[4 + i] = (byte)(nibble < 10 ? '0' + nibble : 'a' + nibble - 10);
        }
        writer.Advance(Size);
    }

    /// <summary>Bytes shown in an error message: printable ASCII as is, everything else as \xNN.</summary>
    public static string Printable(ReadOnlySpan<byte> bytes)
    {
        var sb = new System.Text.StringBuilder(bytes.Length);
        foreach (var b in bytes)
        {
            if (b is >= 0x20 and < 0x7f and not (byte)'\\' and not (byte)'\'')
            {
                sb.Append((char)b);
            }
            else
            {
                sb.Append(System.Globalization.CultureInfo.InvariantCulture, $"\\x{b:x2}");
            }
        }
        return sb.ToString();
    }
}
