using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;

namespace Builder.Core.Provenance;

/// <summary>
/// A DSSE envelope <c>{"payloadType", "payload", "signatures": [{"keyid", "sig"}]}</c> signed with an X.509
/// certificate's key (the daemon's audit signing key). RSA keys sign with PKCS#1 v1.5 and SHA-256, ECDSA keys with
/// SHA-256 and a DER signature: the forms <c>openssl dgst -sha256 -verify</c> checks, so an auditor needs no tool of ours.
/// </summary>
public static partial class DsseEnvelope
{
    /// <summary>Upper bound on an envelope: far above a statement with thousands of build-deps, far below a memory problem.</summary>
    public const int MaxEnvelopeBytes = 4 * 1024 * 1024;

    public const int MaxSignatures = 8;

    /// <summary>An RSA-16384 signature is 2 KiB; anything larger is not a signature of a supported key.</summary>
    public const int MaxSignatureBytes = 4096;

    public const int MaxKeyIdLength = 256;

    /// <summary>The envelope's bytes, with one signature whose keyid is the certificate's SHA-256 fingerprint.</summary>
    public static byte[] Sign(string payloadType, ReadOnlySpan<byte> payload, X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(payloadType);
        ArgumentNullException.ThrowIfNull(certificate);
        if (!certificate.HasPrivateKey)
        {
            throw new ProvenanceException("the signing certificate has no private key");
        }
        var pae = DssePae.Encode(payloadType, payload);
        byte[] sig;
        using (var rsa = certificate.GetRSAPrivateKey())
        using (var ecdsa = rsa is null ? certificate.GetECDsaPrivateKey() : null)
        {
            sig = rsa is not null ? rsa.SignData(pae, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
                : ecdsa is not null ? ecdsa.SignData(pae, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence)
                : throw new ProvenanceException(UnsupportedKey(certificate));
        }
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("payloadType", payloadType);
            w.WriteBase64String("payload", payload);
            w.WriteStartArray("signatures");
            w.WriteStartObject();
            w.WriteString("keyid", KeyId(certificate));
            w.WriteBase64String("sig", sig);
            w.WriteEndObject();
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return buffer.ToArray();
    }

    /// <summary>
    /// The payload of an in-toto envelope at least one of whose signatures verifies with <paramref name="certificate"/>'s
    /// public key; else a <see cref="ProvenanceException"/> saying what is wrong. The keyid is only a hint (DSSE): it
    /// selects nothing, every signature is tried.
    /// </summary>
    public static byte[] Verify(ReadOnlySpan<byte> envelope, X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        var content = Parse(envelope);
        var pae = DssePae.Encode(content.PayloadType, content.Payload);
        using var rsa = certificate.GetRSAPublicKey();
        using var ecdsa = rsa is null ? certificate.GetECDsaPublicKey() : null;
        if (rsa is null && ecdsa is null)
        {
            throw new ProvenanceException(UnsupportedKey(certificate));
        }
        foreach (var s in content.Signatures)
        {
            if (rsa is not null ? VerifyRsa(rsa, pae, s.Sig) : VerifyEcdsa(ecdsa!, pae, s.Sig))
            {
                return content.Payload;
            }
        }
        throw new ProvenanceException($"envelope: no signature verifies with the certificate (sha256 fingerprint {KeyId(certificate)})");
    }

    /// <summary>The certificate's SHA-256 fingerprint, lowercase hex: the keyid the daemon writes.</summary>
    public static string KeyId(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        return Convert.ToHexStringLower(SHA256.HashData(certificate.RawData));
    }

    private static bool VerifyRsa(RSA rsa, byte[] pae, byte[] sig)
    {
        try
        {
            return rsa.VerifyData(pae, sig, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    private static bool VerifyEcdsa(ECDsa ecdsa, byte[] pae, byte[] sig)
    {
        try
        {
            return ecdsa.VerifyData(pae, sig, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    private static string UnsupportedKey(X509Certificate2 certificate) =>
        $"the certificate's key ({certificate.PublicKey.Oid.FriendlyName ?? certificate.PublicKey.Oid.Value}) is neither RSA nor ECDSA";
}
