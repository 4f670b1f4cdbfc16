using System.Security.Cryptography;
using Builder.Tests.Common.Signing;

namespace Builder.Core.Tests.Signatures;

/// <summary>SSHSIGs made with .NET's RSA/ECDsa, for algorithms ssh-keygen -Y sign cannot be told to use.</summary>
internal static class DotnetSigners
{
    public static ECCurve Curve(int bits) => bits switch
    {
        256 => ECCurve.NamedCurves.nistP256,
        384 => ECCurve.NamedCurves.nistP384,
        _ => ECCurve.NamedCurves.nistP521,
    };

    public static byte[] RsaKeyBlob(RSA rsa)
    {
        var p = rsa.ExportParameters(false);
        return new SshWire().String("ssh-rsa").Mpint(p.Exponent).Mpint(p.Modulus).ToArray();
    }

    public static (string Line, string Armored) Rsa(RSA rsa, string algorithm, byte[] message, string ns)
    {
        var blob = RsaKeyBlob(rsa);
        var hash = algorithm switch
        {
            "rsa-sha2-512" => HashAlgorithmName.SHA512,
            "rsa-sha2-256" => HashAlgorithmName.SHA256,
            _ => HashAlgorithmName.SHA1,
        };
        var sig = rsa.SignData(SshSig.SignedData(message, ns), hash, RSASignaturePadding.Pkcs1);
        var sigBlob = new SshWire().String(algorithm).String(sig).ToArray();
        return ($"ssh-rsa {Convert.ToBase64String(blob)} dotnet", SshSig.Armor(SshSig.Blob(blob, ns, sigBlob)));
    }

    public static byte[] EcdsaKeyBlob(ECDsa ecdsa, int bits)
    {
        var p = ecdsa.ExportParameters(false);
        return new SshWire().String($"ecdsa-sha2-nistp{bits}").String($"nistp{bits}").String([0x04, .. p.Q.X!, .. p.Q.Y!]).ToArray();
    }

    public static (string Line, string Armored) Ecdsa(ECDsa ecdsa, int bits, byte[] message, string ns)
    {
        var blob = EcdsaKeyBlob(ecdsa, bits);
        var hash = bits switch { 256 => HashAlgorithmName.SHA256, 384 => HashAlgorithmName.SHA384, _ => HashAlgorithmName.SHA512 };
        var sig = ecdsa.SignData(SshSig.SignedData(message, ns), hash, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        var half = sig.Length / 2;
        var inner = new SshWire().Mpint(sig.AsSpan(0, half)).Mpint(sig.AsSpan(half)).ToArray();
        var sigBlob = new SshWire().String($"ecdsa-sha2-nistp{bits}").String(inner).ToArray();
        return ($"ecdsa-sha2-nistp{bits} {Convert.ToBase64String(blob)} dotnet", SshSig.Armor(SshSig.Blob(blob, ns, sigBlob)));
    }
}
