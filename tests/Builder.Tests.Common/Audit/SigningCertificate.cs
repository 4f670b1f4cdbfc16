namespace Builder.Tests.Common.Audit;

/// <summary>A self-signed S/MIME signing certificate made by the real openssl, as an admin would.</summary>
public sealed record SigningCertificate(string CertificateFile, string KeyFile)
{
    public static async Task<SigningCertificate> CreateAsync(string dir, string name = "audit")
    {
        var cert = Path.Combine(dir, $"{name}.pem");
        var key = Path.Combine(dir, $"{name}.key");
        await TestProcess.CheckAsync("openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
            "-subj", $"/CN=builder {name}",
            "-addext", "keyUsage=critical,digitalSignature,keyCertSign",
            "-addext", "extendedKeyUsage=emailProtection",
            "-keyout", key, "-out", cert]);
        return new SigningCertificate(cert, key);
    }
}
