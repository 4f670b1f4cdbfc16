using System.Security.Cryptography;
using System.Text;

namespace Builder.Tests.Common.Signing;

/// <summary>
/// The SSHSIG pieces of PROTOCOL.sshsig, written independently of Builder.Core so tests can make valid
/// signatures with any key and deliberately broken ones (wrong magic, version, reserved, algorithm).
/// </summary>
public static class SshSig
{
    public static readonly byte[] Magic = "SSHSIG"u8.ToArray();

    /// <summary>The bytes the signature algorithm signs: MAGIC, namespace, reserved, hash algorithm, H(message).</summary>
    public static byte[] SignedData(byte[] message, string ns, string hashAlgorithm = "sha512") =>
        new SshWire().Raw(Magic).String(ns).String([]).String(hashAlgorithm)
            .String(hashAlgorithm == "sha256" ? SHA256.HashData(message) : SHA512.HashData(message)).ToArray();

    public static byte[] Blob(byte[] publicKeyBlob, string ns, byte[] signatureBlob, string hashAlgorithm = "sha512",
        uint version = 1, byte[]? reserved = null) =>
        new SshWire().Raw(Magic).UInt32(version).String(publicKeyBlob).String(ns).String(reserved ?? []).String(hashAlgorithm)
            .String(signatureBlob).ToArray();

    /// <summary>Armors a blob as ssh-keygen does: header, base64 in 70-column lines, footer, final LF.</summary>
    public static string Armor(byte[] blob)
    {
        var b64 = Convert.ToBase64String(blob);
        var sb = new StringBuilder("-----BEGIN SSH SIGNATURE-----\n");
        for (var i = 0; i < b64.Length; i += 70)
        {
            sb.Append(b64.AsSpan(i, Math.Min(70, b64.Length - i))).Append('\n');
        }
        return sb.Append("-----END SSH SIGNATURE-----\n").ToString();
    }
}
