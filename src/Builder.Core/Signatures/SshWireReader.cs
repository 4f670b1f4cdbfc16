using System.Buffers.Binary;
using System.Text;

namespace Builder.Core.Signatures;

/// <summary>
/// Reads the SSH wire encoding (RFC 4251 section 5) with a maximum on every length, so a hostile length field
/// can neither read past the buffer nor make us allocate. Every problem is a <see cref="FormatException"/>
/// whose message names the field.
/// </summary>
internal ref struct SshWireReader(ReadOnlySpan<byte> data)
{
    private ReadOnlySpan<byte> _rest = data;

    public readonly bool IsEmpty => _rest.IsEmpty;

    public uint ReadUInt32(string field)
    {
        if (_rest.Length < 4)
        {
            throw new FormatException($"{field}: truncated");
        }
        var value = BinaryPrimitives.ReadUInt32BigEndian(_rest);
        _rest = _rest[4..];
        return value;
    }

    public ReadOnlySpan<byte> ReadBytes(int count, string field)
    {
        if (_rest.Length < count)
        {
            throw new FormatException($"{field}: truncated");
        }
        var value = _rest[..count];
        _rest = _rest[count..];
        return value;
    }

    public ReadOnlySpan<byte> ReadString(string field, int maxLength)
    {
        var length = ReadUInt32(field);
        if (length > (uint)maxLength)
        {
            throw new FormatException($"{field}: {length} bytes; at most {maxLength} are allowed");
        }
        return ReadBytes((int)length, field);
    }

    /// <summary>A name string: printable ASCII without spaces (algorithm names, namespaces), never empty.</summary>
    public string ReadName(string field, int maxLength)
    {
        var bytes = ReadString(field, maxLength);
        if (bytes.IsEmpty)
        {
            throw new FormatException($"{field}: empty");
        }
        foreach (var b in bytes)
        {
            if (b is < 0x21 or > 0x7e)
            {
                throw new FormatException($"{field}: not printable ASCII");
            }
        }
        return Encoding.ASCII.GetString(bytes);
    }

    /// <summary>A non-negative mpint in minimal encoding, returned as its magnitude without the sign byte.</summary>
    public ReadOnlySpan<byte> ReadPositiveMpint(string field, int maxMagnitude)
    {
        if (_rest.Length >= 4 && BinaryPrimitives.ReadUInt32BigEndian(_rest) > (uint)maxMagnitude + 1)
        {
            throw new FormatException($"{field}: larger than {maxMagnitude} bytes");
        }
        var bytes = ReadString(field, maxMagnitude + 1);
        if (bytes.IsEmpty)
        {
            throw new FormatException($"{field}: zero");
        }
        if ((bytes[0] & 0x80) != 0)
        {
            throw new FormatException($"{field}: negative");
        }
        if (bytes[0] == 0)
        {
            if (bytes.Length == 1 || (bytes[1] & 0x80) == 0)
            {
                throw new FormatException($"{field}: not minimally encoded");
            }
            bytes = bytes[1..];
        }
        if (bytes.Length > maxMagnitude)
        {
            throw new FormatException($"{field}: larger than {maxMagnitude} bytes");
        }
        return bytes;
    }

    public readonly void ExpectEnd(string what)
    {
        if (!_rest.IsEmpty)
        {
            throw new FormatException($"{what}: {_rest.Length} trailing bytes");
        }
    }
}
