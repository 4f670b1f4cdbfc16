using System.Security.Cryptography;
using System.Text;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Security;

namespace Builder.Tests.Common.Signing;

/// <summary>
/// An ssh-ed25519 key for tests and benchmarks that signs SSHSIGs in-process (about as fast as Ed25519 itself, no
/// ssh-keygen per signature). Its signatures are exactly what <c>ssh-keygen -Y sign</c> makes, and
/// <see cref="WritePrivateKeyFile"/> gives ssh-keygen the same key.
/// </summary>
public sealed class TestSigningKey
{
    private const string KeyType = "ssh-ed25519";
    private readonly Ed25519PrivateKeyParameters _private;

    private TestSigningKey(Ed25519PrivateKeyParameters key, string comment)
    {
        _private = key;
        Comment = comment;
        PublicKey = key.GeneratePublicKey().GetEncoded();
        PublicKeyBlob = new SshWire().String(KeyType).String(PublicKey).ToArray();
        Fingerprint = "SHA256:" + Convert.ToBase64String(SHA256.HashData(PublicKeyBlob)).TrimEnd('=');
    }

    public string Comment { get; }

    /// <summary>The raw 32-byte Ed25519 public key.</summary>
    public byte[] PublicKey { get; }

    /// <summary>SSH wire-format public key blob.</summary>
    public byte[] PublicKeyBlob { get; }

    /// <summary>authorized_keys line: <c>ssh-ed25519 AAAA... comment</c>.</summary>
    public string PublicKeyLine => $"{KeyType} {Convert.ToBase64String(PublicKeyBlob)} {Comment}";

    /// <summary>"SHA256:..." as <c>ssh-keygen -lf</c> prints it.</summary>
    public string Fingerprint { get; }

    public static TestSigningKey Generate(string comment = "test@builder") =>
        new(new Ed25519PrivateKeyParameters(new SecureRandom()), comment);

    /// <summary>A deterministic key from a 32-byte seed (for reproducible fixtures).</summary>
    public static TestSigningKey FromSeed(ReadOnlySpan<byte> seed, string comment = "test@builder") =>
        new(new Ed25519PrivateKeyParameters(seed), comment);

    /// <summary>The raw Ed25519 signature of <paramref name="data"/>.</summary>
    public byte[] SignRaw(byte[] data)
    {
        var signature = new byte[64];
        _private.Sign(Org.BouncyCastle.Math.EC.Rfc8032.Ed25519.Algorithm.Ed25519, null, data, 0, data.Length, signature, 0);
        return signature;
    }

    /// <summary>The SSH signature blob (<c>string "ssh-ed25519", string sig</c>) over <paramref name="data"/>.</summary>
    public byte[] SignatureBlob(byte[] data) => new SshWire().String(KeyType).String(SignRaw(data)).ToArray();

    /// <summary>An armored SSHSIG of <paramref name="message"/>, as <c>ssh-keygen -Y sign -n ns</c> makes it.</summary>
    public string Sign(byte[] message, string ns, string hashAlgorithm = "sha512") =>
        SshSig.Armor(SshSig.Blob(PublicKeyBlob, ns, SignatureBlob(SshSig.SignedData(message, ns, hashAlgorithm)), hashAlgorithm));

    /// <summary>Sign over the UTF-8 bytes of <paramref name="message"/>.</summary>
    public string Sign(string message, string ns) => Sign(Encoding.UTF8.GetBytes(message), ns);

    /// <summary>
    /// Writes the private key as an unencrypted openssh-key-v1 file (mode 0600, which ssh-keygen insists on) and the
    /// public key next to it as <paramref name="path"/>.pub.
    /// </summary>
    public void WritePrivateKeyFile(string path)
    {
        var check = (uint)RandomNumberGenerator.GetInt32(int.MaxValue);
        var secret = new byte[64];
        _private.Encode(secret, 0);
        PublicKey.CopyTo(secret, 32);
        var section = new SshWire().UInt32(check).UInt32(check).String(KeyType).String(PublicKey).String(secret).String(Comment);
        var unpadded = section.ToArray().Length;
        // The private section is padded with 1, 2, 3, ... to the cipher block size (8 for "none").
        for (var i = 1; (unpadded + i - 1) % 8 != 0; i++)
        {
            section.Raw([(byte)i]);
        }
        var file = new SshWire().Raw("openssh-key-v1\0"u8).String("none").String("none").String([]).UInt32(1)
            .String(PublicKeyBlob).String(section.ToArray()).ToArray();
        var b64 = Convert.ToBase64String(file);
        var sb = new StringBuilder("-----BEGIN OPENSSH PRIVATE KEY-----\n");
        for (var i = 0; i < b64.Length; i += 70)
        {
            sb.Append(b64.AsSpan(i, Math.Min(70, b64.Length - i))).Append('\n');
        }
        sb.Append("-----END OPENSSH PRIVATE KEY-----\n");
        File.WriteAllText(path, "");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        File.WriteAllText(path, sb.ToString());
        File.WriteAllText(path + ".pub", PublicKeyLine + "\n");
    }
}
