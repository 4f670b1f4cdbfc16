using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Builder.Tests.Common;

/// <summary>Self-signed S/MIME signing identities written as PEM files, for configurations that must validate.</summary>
public static class TestCertificates
{
    /// <returns>the certificate and private key file paths.</returns>
    public static (string Certificate, string Key) WriteSigningPair(string directory, string name = "audit")
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest($"CN=builder {name}, E={name}@builder.test", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, critical: true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.4")], critical: false));
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(2));
        var cert = Path.Combine(directory, $"{name}.pem");
        var key = Path.Combine(directory, $"{name}.key");
        File.WriteAllText(cert, certificate.ExportCertificatePem());
        File.WriteAllText(key, rsa.ExportPkcs8PrivateKeyPem());
        return (cert, key);
    }

    /// <summary>The same with an ECDSA P-256 key, the other key type Audit:SigningKeyFile may hold.</summary>
    /// <returns>the certificate and private key file paths.</returns>
    public static (string Certificate, string Key) WriteEcSigningPair(string directory, string name = "audit-ec")
    {
        using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN=builder {name}, E={name}@builder.test", ec, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, critical: true));
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(2));
        var cert = Path.Combine(directory, $"{name}.pem");
        var key = Path.Combine(directory, $"{name}.key");
        File.WriteAllText(cert, certificate.ExportCertificatePem());
        File.WriteAllText(key, ec.ExportPkcs8PrivateKeyPem());
        return (cert, key);
    }
}
