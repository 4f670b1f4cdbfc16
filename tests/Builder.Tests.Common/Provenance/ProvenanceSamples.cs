using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Builder.Core.Provenance;

namespace Builder.Tests.Common.Provenance;

/// <summary>A build's provenance facts and signing identities for tests of the statement, the envelope and the CLI.</summary>
public static class ProvenanceSamples
{
    public static readonly DateTimeOffset Started = new(2026, 12, 6, 10, 0, 5, TimeSpan.Zero);

    public static string Sha256(byte[] content) => Convert.ToHexStringLower(SHA256.HashData(content));

    /// <summary>Facts whose subjects are the given files (name and content).</summary>
    public static ProvenanceFacts Facts(params (string Name, byte[] Content)[] subjects) => new()
    {
        Subjects = [.. subjects.Select(s => new ProvenanceFile(s.Name, Sha256(s.Content)))],
        Host = "builder1.example.org",
        ImageSha256 = new string('e', 64),
        Request = new ProvenanceRequest("dev", "hello", new string('c', 40), "alice",
            "builder-request 1\naction submit\npocket dev\npackage hello\n", "-----BEGIN SSH SIGNATURE-----\nU1NIU0lH\n-----END SSH SIGNATURE-----\n"),
        SourceFiles = [new ProvenanceFile("hello_2.10-3.dsc", new string('1', 64)), new ProvenanceFile("hello_2.10.orig.tar.gz", new string('2', 64))],
        BuildDeps =
        [
            new ProvenanceBuildDependency("debhelper-compat", "13", "mirror", new string('3', 64)),
            new ProvenanceBuildDependency("libhello-dev", "2.9-1", "pocket:dev", new string('4', 64)),
        ],
        BuildId = 42,
        Attempt = 1,
        StartedOn = Started,
        FinishedOn = Started.AddMinutes(7),
    };

    public static ProvenanceFacts Facts() => Facts(("hello_2.10-3_amd64.deb", "deb bytes"u8.ToArray()));

    /// <summary>A self-signed certificate with its private key, RSA-2048 or ECDSA P-256.</summary>
    public static X509Certificate2 Identity(bool ecdsa = false, string name = "audit")
    {
        var dir = Directory.CreateTempSubdirectory("provenance-key-");
        try
        {
            var (cert, key) = ecdsa ? TestCertificates.WriteEcSigningPair(dir.FullName, name) : TestCertificates.WriteSigningPair(dir.FullName, name);
            return X509Certificate2.CreateFromPemFile(cert, key);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    /// <summary>The certificate alone, as a verifier has it.</summary>
    public static X509Certificate2 PublicOnly(X509Certificate2 identity) => X509CertificateLoader.LoadCertificate(identity.RawData);
}
