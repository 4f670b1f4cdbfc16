using System.Security.Cryptography;
using Builder.Core.Requests;

namespace Builder.Core.Signatures;

/// <summary>
/// An OpenSSH public key of a supported type (ssh-ed25519, ecdsa-sha2-nistp256/384/521, ssh-rsa of at least
/// 2048 bits), parsed and checked once so that verifying with it cannot fail on the key itself.
/// </summary>
public sealed class SshPublicKey
{
    /// <summary>Longest key line accepted (a 16384-bit RSA key line is about 2.8 KiB).</summary>
    public const int MaxLineLength = 8192;

    private readonly byte[] _blob;

    private SshPublicKey(string algorithm, byte[] blob, string? comment, SshKeyVerifier verifier)
    {
        Algorithm = algorithm;
        _blob = blob;
        Comment = comment;
        Verifier = verifier;
        Fingerprint = "SHA256:" + Convert.ToBase64String(SHA256.HashData(blob)).TrimEnd('=');
    }

    /// <summary>Key type as written in the blob: "ssh-ed25519", "ecdsa-sha2-nistp256", "ssh-rsa", ...</summary>
    public string Algorithm { get; }

    /// <summary>The SSH wire-format public key blob (the base64 part of the key line, decoded).</summary>
    public ReadOnlyMemory<byte> Blob => _blob;

    public string? Comment { get; }

    /// <summary>"SHA256:" + unpadded base64 of sha256(blob), exactly as <c>ssh-keygen -l</c> prints it.</summary>
    public string Fingerprint { get; }

    internal SshKeyVerifier Verifier { get; }

    /// <summary>
    /// Parses one authorized_keys line without options: <c>type base64 [comment]</c>. Throws <see cref="FormatException"/>
    /// with a sentence saying what is wrong (unsupported type, bad base64, type mismatch, weak or malformed key).
    /// </summary>
    public static SshPublicKey Parse(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        if (line.Length > MaxLineLength)
        {
            throw new FormatException($"key line is {line.Length} characters; at most {MaxLineLength} are allowed");
        }
        var type = NextToken(line.AsSpan().Trim(" \t"), out var rest);
        var data = NextToken(rest, out var comment);
        if (!IsSupported(type.ToString()))
        {
            throw new FormatException(IsSupported(data.ToString())
                ? "key options are not supported; give the bare key line 'type base64 [comment]'"
                : $"unsupported key type {UntrustedText.Quote(type)}; supported: {SshKeyAlgorithms.Supported}");
        }
        if (data.IsEmpty)
        {
            throw new FormatException("key line has no key data after the type");
        }
        var blob = new byte[(data.Length * 3 / 4) + 3];
        if (!Convert.TryFromBase64Chars(data, blob, out var written))
        {
            throw new FormatException("key data is not valid base64");
        }
        foreach (var c in comment)
        {
            if (char.IsControl(c))
            {
                throw new FormatException("key comment contains control characters");
            }
        }
        var key = FromBlob(blob.AsSpan(0, written), comment.IsEmpty ? null : comment.ToString());
        if (key.Algorithm != type.ToString())
        {
            throw new FormatException($"key type '{type}' does not match the key data, which is '{key.Algorithm}'");
        }
        return key;
    }

    /// <summary>Parses a wire-format key blob (as carried in an SSHSIG); throws <see cref="FormatException"/>.</summary>
    internal static SshPublicKey FromBlob(ReadOnlySpan<byte> blob, string? comment)
    {
        if (blob.Length > SshKeyAlgorithms.MaxKeyBlob)
        {
            throw new FormatException($"public key: {blob.Length} bytes; at most {SshKeyAlgorithms.MaxKeyBlob} are allowed");
        }
        var reader = new SshWireReader(blob);
        var algorithm = reader.ReadName("public key type", SshKeyAlgorithms.MaxNameLength);
        SshKeyVerifier verifier = algorithm switch
        {
            SshKeyAlgorithms.Ed25519 => Ed25519KeyVerifier.Parse(ref reader),
            SshKeyAlgorithms.EcdsaP256 or SshKeyAlgorithms.EcdsaP384 or SshKeyAlgorithms.EcdsaP521 => EcdsaKeyVerifier.Parse(algorithm, ref reader),
            SshKeyAlgorithms.Rsa => RsaKeyVerifier.Parse(ref reader),
            _ => throw new FormatException($"unsupported key type {UntrustedText.Quote(algorithm)}; supported: {SshKeyAlgorithms.Supported}"),
        };
        reader.ExpectEnd("public key");
        return new SshPublicKey(algorithm, blob.ToArray(), comment, verifier);
    }

    public bool BlobEquals(SshPublicKey other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return _blob.AsSpan().SequenceEqual(other._blob);
    }

    /// <summary>The authorized_keys line: <c>type base64 [comment]</c>.</summary>
    public override string ToString() =>
        Comment is null ? $"{Algorithm} {Convert.ToBase64String(_blob)}" : $"{Algorithm} {Convert.ToBase64String(_blob)} {Comment}";

    private static bool IsSupported(string type) =>
        type is SshKeyAlgorithms.Ed25519 or SshKeyAlgorithms.EcdsaP256 or SshKeyAlgorithms.EcdsaP384 or SshKeyAlgorithms.EcdsaP521
            or SshKeyAlgorithms.Rsa;

    private static ReadOnlySpan<char> NextToken(ReadOnlySpan<char> text, out ReadOnlySpan<char> rest)
    {
        var end = text.IndexOfAny(' ', '\t');
        rest = end < 0 ? [] : text[end..].TrimStart(" \t");
        return end < 0 ? text : text[..end];
    }
}
