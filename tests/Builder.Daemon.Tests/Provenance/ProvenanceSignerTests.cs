using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Builder.Audit.Mail;
using Builder.Audit.Options;
using Builder.Core.Provenance;
using Builder.Daemon.Provenance;
using Builder.Tests.Common;
using Builder.Tests.Common.Provenance;
using Microsoft.Extensions.Logging.Abstractions;

namespace Builder.Daemon.Tests.Provenance;

public sealed class ProvenanceSignerTests : IDisposable
{
    private readonly string _dir = TestEnvironment.NewTempDirectory("provenance-signer");

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static ProvenanceSigner Signer(AuditMessageSigner audit) => new(audit, NullLogger<ProvenanceSigner>.Instance);

    private AuditMessageSigner AuditSigner((string Certificate, string Key) pair) =>
        new(Microsoft.Extensions.Options.Options.Create(new AuditOptions { SigningCertificateFile = pair.Certificate, SigningKeyFile = pair.Key }));

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void The_envelope_is_signed_with_the_audit_key_and_its_hash_is_of_its_bytes(bool ecdsa)
    {
        var pair = ecdsa ? TestCertificates.WriteEcSigningPair(_dir) : TestCertificates.WriteSigningPair(_dir);
        using var audit = AuditSigner(pair);
        var facts = ProvenanceSamples.Facts();

        var signed = Signer(audit).Sign(facts);

        using var certificate = X509Certificate2.CreateFromPem(File.ReadAllText(pair.Certificate));
        Assert.Equal(ProvenanceStatement.ToJson(facts), DsseEnvelope.Verify(signed.Envelope, certificate));
        Assert.Equal("sha256:" + Convert.ToHexStringLower(SHA256.HashData(signed.Envelope)), signed.Sha256);
    }

    [Fact]
    public void Another_certificate_does_not_verify_the_envelope()
    {
        using var audit = AuditSigner(TestCertificates.WriteSigningPair(_dir));
        var other = TestCertificates.WriteSigningPair(_dir, "other");

        var signed = Signer(audit).Sign(ProvenanceSamples.Facts());

        using var certificate = X509Certificate2.CreateFromPem(File.ReadAllText(other.Certificate));
        Assert.Throws<ProvenanceException>(() => DsseEnvelope.Verify(signed.Envelope, certificate));
    }

    [Fact]
    public void Invalid_facts_are_not_signed()
    {
        using var audit = AuditSigner(TestCertificates.WriteSigningPair(_dir));

        var ex = Assert.Throws<ArgumentException>(() => Signer(audit).Sign(ProvenanceSamples.Facts() with { Subjects = [] }));

        Assert.StartsWith("provenance of build 42: 0 subjects", ex.Message, StringComparison.Ordinal);
    }
}
