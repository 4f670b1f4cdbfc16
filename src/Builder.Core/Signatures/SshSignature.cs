using System.Security.Cryptography;
using System.Text;

namespace Builder.Core.Signatures;

/// <summary>
/// A parsed OpenSSH SSHSIG (PROTOCOL.sshsig in openssh-portable), as made by <c>ssh-keygen -Y sign</c>.
/// Parsing checks the whole structure; <see cref="Verify(ReadOnlySpan{byte})"/> checks the signature over a message. Callers still
/// decide whether <see cref="PublicKey"/> is one they trust and whether <see cref="Namespace"/> is the expected one.
/// </summary>
public sealed class SshSignature
{
    /// <summary>Longest armored text accepted; a 16384-bit RSA signature armors to about 6 KiB.</summary>
    public const int MaxArmoredLength = 16384;

    /// <summary>The namespace build requests are signed in (<c>ssh-keygen -Y sign -n builder</c>).</summary>
    public const string BuilderNamespace = "builder";

    private const int MaxNamespaceLength = 64;
    private const int SupportedVersion = 1;
    private static readonly byte[] Magic = "SSHSIG"u8.ToArray();

    private readonly SshKeyVerifier.ParsedSignature _signature;

    private SshSignature(SshPublicKey publicKey, string @namespace, string hashAlgorithm, SshKeyVerifier.ParsedSignature signature)
    {
        PublicKey = publicKey;
        Namespace = @namespace;
        HashAlgorithm = hashAlgorithm;
        _signature = signature;
    }

    /// <summary>The key the signature claims to be made with (from the blob; not yet trusted).</summary>
    public SshPublicKey PublicKey { get; }

    public string Namespace { get; }

    /// <summary>"sha256" or "sha512": how the message was hashed before signing.</summary>
    public string HashAlgorithm { get; }

    /// <summary>The SSH signature algorithm: "ssh-ed25519", "ecdsa-sha2-nistp256", "rsa-sha2-512", ...</summary>
    public string SignatureAlgorithm => _signature.Algorithm;

    /// <summary>
    /// Parses an armored signature. Bad armor, base64 or structure, an oversized field, a version other than 1,
    /// trailing bytes, an unsupported key or hash algorithm, or a signature algorithm that does not fit the key
    /// (including SHA-1 'ssh-rsa') throw <see cref="SshSignatureFormatException"/>.
    /// </summary>
    public static SshSignature ParseArmored(string armored)
    {
        ArgumentNullException.ThrowIfNull(armored);
        if (armored.Length > MaxArmoredLength)
        {
            throw new SshSignatureFormatException($"the signature is {armored.Length} characters; at most {MaxArmoredLength} are allowed");
        }
        var blob = SshSignatureArmor.Decode(armored);
        try
        {
            return ParseBlob(blob);
        }
        catch (FormatException e) when (e is not SshSignatureFormatException)
        {
            throw new SshSignatureFormatException($"the signature is malformed: {e.Message}", e);
        }
    }

    /// <summary>True iff the signature is valid over <paramref name="message"/> for this namespace and hash with <see cref="PublicKey"/>.</summary>
    public bool Verify(ReadOnlySpan<byte> message)
    {
        var hash = HashAlgorithm == "sha512" ? SHA512.HashData(message) : SHA256.HashData(message);
        var signedData = new SshWireWriter()
            .WriteRaw(Magic)
            .WriteString(Namespace)
            .WriteString([])
            .WriteString(HashAlgorithm)
            .WriteString(hash)
            .ToArray();
        return PublicKey.Verifier.Verify(_signature, signedData);
    }

    /// <summary>
    /// True iff <see cref="Namespace"/> is <paramref name="expectedNamespace"/> and the signature is valid over
    /// <paramref name="message"/> (a signature made for another purpose must not authorize a build).
    /// </summary>
    public bool Verify(ReadOnlySpan<byte> message, string expectedNamespace) =>
        string.Equals(Namespace, expectedNamespace, StringComparison.Ordinal) && Verify(message);

    internal static SshSignature ParseBlob(ReadOnlySpan<byte> blob)
    {
        var reader = new SshWireReader(blob);
        if (!reader.ReadBytes(Magic.Length, "magic").SequenceEqual(Magic))
        {
            throw new SshSignatureFormatException("the signature is not an SSHSIG blob (wrong magic)");
        }
        var version = reader.ReadUInt32("version");
        if (version != SupportedVersion)
        {
            throw new SshSignatureFormatException($"the signature has SSHSIG version {version}; only version {SupportedVersion} is supported");
        }
        var key = SshPublicKey.FromBlob(reader.ReadString("public key", SshKeyAlgorithms.MaxKeyBlob), comment: null);
        var @namespace = reader.ReadName("namespace", MaxNamespaceLength);
        // ssh-keygen always writes an empty reserved field and verifies as if it were empty; refuse anything else
        // rather than accept bytes that the signature does not cover.
        if (!reader.ReadString("reserved", 256).IsEmpty)
        {
            throw new SshSignatureFormatException("the signature's reserved field is not empty");
        }
        var hashAlgorithm = reader.ReadName("hash algorithm", SshKeyAlgorithms.MaxNameLength);
        if (hashAlgorithm is not ("sha256" or "sha512"))
        {
            throw new SshSignatureFormatException($"the signature uses hash algorithm '{hashAlgorithm}'; only sha256 and sha512 are supported");
        }
        var signatureBlob = reader.ReadString("signature", SshKeyAlgorithms.MaxSignatureBlob);
        reader.ExpectEnd("signature blob");

        var inner = new SshWireReader(signatureBlob);
        var algorithm = inner.ReadName("signature algorithm", SshKeyAlgorithms.MaxNameLength);
        var value = inner.ReadString("signature value", SshKeyAlgorithms.MaxSignatureBlob);
        inner.ExpectEnd("signature");
        return new SshSignature(key, @namespace, hashAlgorithm, key.Verifier.ParseSignature(algorithm, value));
    }

    /// <summary>For diagnostics only: the namespace and key fingerprint, never the signature bytes.</summary>
    public override string ToString() =>
        new StringBuilder().Append("SSHSIG ").Append(Namespace).Append(' ').Append(SignatureAlgorithm).Append(' ')
            .Append(PublicKey.Fingerprint).ToString();
}
