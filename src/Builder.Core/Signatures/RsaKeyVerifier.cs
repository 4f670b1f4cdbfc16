using System.Security.Cryptography;

namespace Builder.Core.Signatures;

/// <summary>ssh-rsa keys with rsa-sha2-256/512 signatures (RFC 8332); SHA-1 'ssh-rsa' signatures are refused.</summary>
internal sealed class RsaKeyVerifier : SshKeyVerifier
{
    /// <summary>Smaller moduli are refused: 2048 bits is the floor of current guidance (NIST SP 800-131A).</summary>
    public const int MinBits = 2048;

    /// <summary>OpenSSH's own maximum (SSHBUF_MAX_BIGNUM); bounds the work of one verification.</summary>
    public const int MaxBits = 16384;

    private readonly RSAParameters _parameters;

    private RsaKeyVerifier(RSAParameters parameters) => _parameters = parameters;

    private int ModulusBytes => _parameters.Modulus!.Length;

    /// <summary>Key blob after the algorithm name: <c>mpint e, mpint n</c>.</summary>
    public static RsaKeyVerifier Parse(ref SshWireReader reader)
    {
        var e = reader.ReadPositiveMpint("rsa public exponent", 8);
        var n = reader.ReadPositiveMpint("rsa modulus", MaxBits / 8);
        var bits = (n.Length * 8) - System.Numerics.BitOperations.LeadingZeroCount((uint)n[0] << 24);
        if (bits < MinBits)
        {
            throw new FormatException($"rsa modulus: {bits} bits; at least {MinBits} are required");
        }
        if ((e[^1] & 1) == 0 || (e.Length == 1 && e[0] < 3))
        {
            throw new FormatException("rsa public exponent: not an odd number of at least 3");
        }
        return new RsaKeyVerifier(new RSAParameters { Exponent = e.ToArray(), Modulus = n.ToArray() });
    }

    public override ParsedSignature ParseSignature(string algorithm, ReadOnlySpan<byte> signature)
    {
        if (algorithm == SshKeyAlgorithms.Rsa)
        {
            throw new FormatException("signature algorithm 'ssh-rsa' (RSA with SHA-1) is refused; sign with rsa-sha2-256 or rsa-sha2-512");
        }
        if (algorithm is not (SshKeyAlgorithms.RsaSha256 or SshKeyAlgorithms.RsaSha512))
        {
            throw new FormatException($"signature algorithm '{algorithm}' does not match the ssh-rsa key");
        }
        if (signature.Length > ModulusBytes || signature.IsEmpty)
        {
            throw new FormatException($"rsa signature: {signature.Length} bytes for a {ModulusBytes}-byte modulus");
        }
        // RFC 8332 lets a signer drop leading zero bytes; restore the modulus width PKCS#1 expects.
        var value = new byte[ModulusBytes];
        signature.CopyTo(value.AsSpan(ModulusBytes - signature.Length));
        return new ParsedSignature(algorithm, value);
    }

    public override bool Verify(ParsedSignature signature, ReadOnlySpan<byte> data)
    {
        var hash = signature.Algorithm == SshKeyAlgorithms.RsaSha512 ? HashAlgorithmName.SHA512 : HashAlgorithmName.SHA256;
        try
        {
            using var rsa = RSA.Create(_parameters);
            return rsa.VerifyData(data, signature.Value, hash, RSASignaturePadding.Pkcs1);
        }
        catch (CryptographicException)
        {
            return false;
        }
    }
}
