using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Math.EC.Rfc8032;

namespace Builder.Core.Signatures;

/// <summary>ssh-ed25519 (RFC 8709) through BouncyCastle's RFC 8032 implementation.</summary>
internal sealed class Ed25519KeyVerifier : SshKeyVerifier
{
    private readonly Ed25519PublicKeyParameters _key;

    private Ed25519KeyVerifier(Ed25519PublicKeyParameters key) => _key = key;

    /// <summary>Key blob after the algorithm name: <c>string key</c> (32 bytes).</summary>
    public static Ed25519KeyVerifier Parse(ref SshWireReader reader)
    {
        var key = reader.ReadString("ed25519 public key", 64);
        if (key.Length != Ed25519PublicKeyParameters.KeySize)
        {
            throw new FormatException($"ed25519 public key: {key.Length} bytes; expected {Ed25519PublicKeyParameters.KeySize}");
        }
        try
        {
            // Decoding the point here (once per key) rejects keys that are not on the curve and speeds up each Verify.
            return new Ed25519KeyVerifier(new Ed25519PublicKeyParameters(key));
        }
        catch (ArgumentException e)
        {
            throw new FormatException("ed25519 public key: not a point on the curve", e);
        }
    }

    public override ParsedSignature ParseSignature(string algorithm, ReadOnlySpan<byte> signature)
    {
        if (algorithm != SshKeyAlgorithms.Ed25519)
        {
            throw new FormatException($"signature algorithm '{algorithm}' does not match the ssh-ed25519 key");
        }
        if (signature.Length != Ed25519.SignatureSize)
        {
            throw new FormatException($"ed25519 signature: {signature.Length} bytes; expected {Ed25519.SignatureSize}");
        }
        return new ParsedSignature(algorithm, signature.ToArray());
    }

    public override bool Verify(ParsedSignature signature, ReadOnlySpan<byte> data) =>
        _key.Verify(Ed25519.Algorithm.Ed25519, null, data, signature.Value);
}
