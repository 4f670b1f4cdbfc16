using System.Security.Cryptography;

namespace Builder.Core.Signatures;

/// <summary>ecdsa-sha2-nistp256/384/521 (RFC 5656) through System.Security.Cryptography.</summary>
internal sealed class EcdsaKeyVerifier : SshKeyVerifier
{
    private readonly string _algorithm;
    private readonly ECParameters _parameters;
    private readonly HashAlgorithmName _hash;
    private readonly int _fieldBytes;

    private EcdsaKeyVerifier(string algorithm, ECParameters parameters, HashAlgorithmName hash, int fieldBytes)
    {
        _algorithm = algorithm;
        _parameters = parameters;
        _hash = hash;
        _fieldBytes = fieldBytes;
    }

    /// <summary>Key blob after the algorithm name: <c>string curve, string Q</c> (uncompressed point).</summary>
    public static EcdsaKeyVerifier Parse(string algorithm, ref SshWireReader reader)
    {
        var (identifier, curve, hash, fieldBytes) = algorithm switch
        {
            SshKeyAlgorithms.EcdsaP256 => ("nistp256", ECCurve.NamedCurves.nistP256, HashAlgorithmName.SHA256, 32),
            SshKeyAlgorithms.EcdsaP384 => ("nistp384", ECCurve.NamedCurves.nistP384, HashAlgorithmName.SHA384, 48),
            SshKeyAlgorithms.EcdsaP521 => ("nistp521", ECCurve.NamedCurves.nistP521, HashAlgorithmName.SHA512, 66),
            _ => throw new FormatException($"unsupported key type '{algorithm}'"),
        };
        var name = reader.ReadName("ecdsa curve name", SshKeyAlgorithms.MaxNameLength);
        if (name != identifier)
        {
            throw new FormatException($"ecdsa curve name: '{name}' does not match key type '{algorithm}'");
        }
        var point = reader.ReadString("ecdsa public point", 1 + (2 * fieldBytes));
        if (point.Length != 1 + (2 * fieldBytes) || point[0] != 0x04)
        {
            throw new FormatException("ecdsa public point: not an uncompressed point of the curve");
        }
        var parameters = new ECParameters
        {
            Curve = curve,
            Q = new ECPoint { X = point.Slice(1, fieldBytes).ToArray(), Y = point.Slice(1 + fieldBytes, fieldBytes).ToArray() },
        };
        try
        {
            // Importing validates that the point lies on the curve (invalid-curve attacks need points that do not).
            using var ecdsa = ECDsa.Create(parameters);
        }
        catch (CryptographicException e)
        {
            throw new FormatException("ecdsa public point: not a point on the curve", e);
        }
        return new EcdsaKeyVerifier(algorithm, parameters, hash, fieldBytes);
    }

    public override ParsedSignature ParseSignature(string algorithm, ReadOnlySpan<byte> signature)
    {
        if (algorithm != _algorithm)
        {
            throw new FormatException($"signature algorithm '{algorithm}' does not match the {_algorithm} key");
        }
        // RFC 5656 3.1.2: string ecdsa_signature_blob = mpint r, mpint s.
        var reader = new SshWireReader(signature);
        var r = reader.ReadPositiveMpint("ecdsa signature r", _fieldBytes);
        var s = reader.ReadPositiveMpint("ecdsa signature s", _fieldBytes);
        reader.ExpectEnd("ecdsa signature");
        var fixedWidth = new byte[2 * _fieldBytes];
        r.CopyTo(fixedWidth.AsSpan(_fieldBytes - r.Length));
        s.CopyTo(fixedWidth.AsSpan((2 * _fieldBytes) - s.Length));
        return new ParsedSignature(algorithm, fixedWidth);
    }

    public override bool Verify(ParsedSignature signature, ReadOnlySpan<byte> data)
    {
        try
        {
            using var ecdsa = ECDsa.Create(_parameters);
            return ecdsa.VerifyData(data, signature.Value, _hash, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        }
        catch (CryptographicException)
        {
            return false;
        }
    }
}
