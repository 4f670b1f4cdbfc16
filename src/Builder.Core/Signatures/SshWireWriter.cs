using System.Buffers.Binary;
using System.Text;

namespace Builder.Core.Signatures;

/// <summary>Writes SSH wire strings; used to build the exact bytes an SSHSIG covers.</summary>
internal sealed class SshWireWriter
{
    private readonly MemoryStream _buffer = new();

    public SshWireWriter WriteRaw(ReadOnlySpan<byte> bytes)
    {
        _buffer.Write(bytes);
        return this;
    }

    public SshWireWriter WriteString(ReadOnlySpan<byte> bytes)
    {
        Span<byte> length = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(length, (uint)bytes.Length);
        _buffer.Write(length);
        _buffer.Write(bytes);
        return this;
    }

    public SshWireWriter WriteString(string ascii) => WriteString(Encoding.ASCII.GetBytes(ascii));

    public byte[] ToArray() => _buffer.ToArray();
}
