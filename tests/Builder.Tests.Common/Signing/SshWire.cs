using System.Buffers.Binary;
using System.Text;

namespace Builder.Tests.Common.Signing;

/// <summary>Builds SSH wire-format byte strings (RFC 4251) for test keys and hand-made signatures.</summary>
public sealed class SshWire
{
    private readonly MemoryStream _buffer = new();

    public SshWire Raw(ReadOnlySpan<byte> bytes)
    {
        _buffer.Write(bytes);
        return this;
    }

    public SshWire UInt32(uint value)
    {
        Span<byte> b = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(b, value);
        _buffer.Write(b);
        return this;
    }

    public SshWire String(ReadOnlySpan<byte> bytes) => UInt32((uint)bytes.Length).Raw(bytes);

    public SshWire String(string text) => String(Encoding.UTF8.GetBytes(text));

    /// <summary>A non-negative mpint from a big-endian magnitude (leading zeros dropped, sign byte added).</summary>
    public SshWire Mpint(ReadOnlySpan<byte> magnitude)
    {
        magnitude = magnitude.TrimStart((byte)0);
        if (!magnitude.IsEmpty && (magnitude[0] & 0x80) != 0)
        {
            return UInt32((uint)magnitude.Length + 1).Raw([0]).Raw(magnitude);
        }
        return String(magnitude);
    }

    public byte[] ToArray() => _buffer.ToArray();
}
