using System.Buffers.Binary;

namespace Builder.Core.Tests.Signatures;

/// <summary>Takes SSHSIG blobs apart for tampering tests.</summary>
internal static class SshSignatureBlobs
{
    public static byte[] Decode(string armored)
    {
        var lines = armored.Trim().Split('\n');
        return Convert.FromBase64String(string.Concat(lines[1..^1]));
    }

    /// <summary>The blob with its public key field (right after magic and version) replaced.</summary>
    public static byte[] ReplaceKey(byte[] blob, byte[] newKey)
    {
        var keyLength = (int)BinaryPrimitives.ReadUInt32BigEndian(blob.AsSpan(10));
        var lengthPrefix = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(lengthPrefix, (uint)newKey.Length);
        return [.. blob.AsSpan(0, 10), .. lengthPrefix, .. newKey, .. blob.AsSpan(14 + keyLength)];
    }
}
