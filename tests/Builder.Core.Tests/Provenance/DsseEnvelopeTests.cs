using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using Builder.Core.Provenance;
using Builder.Tests.Common.Provenance;

namespace Builder.Core.Tests.Provenance;

public sealed class DsseEnvelopeTests
{
    private const string InToto = "application/vnd.in-toto+json";

    private static readonly byte[] Statement = ProvenanceStatement.ToJson(ProvenanceSamples.Facts());

    /// <summary>An envelope with the given signatures (base64) over whatever payload, written by hand.</summary>
    private static byte[] Envelope(byte[] payload, params byte[][] sigs) => Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new
    {
        payloadType = InToto,
        payload = Convert.ToBase64String(payload),
        signatures = sigs.Select(s => new { keyid = "", sig = Convert.ToBase64String(s) }),
    }));

    private static byte[] RsaSign(X509Certificate2 identity, byte[] data)
    {
        using var rsa = identity.GetRSAPrivateKey()!;
        return rsa.SignData(data, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
    }

    [Fact]
    public void The_pae_is_the_dsse_v1_encoding_of_type_and_payload_with_their_byte_lengths()
    {
        Assert.Equal("DSSEv1 28 application/vnd.in-toto+json 11 hello world", Encoding.UTF8.GetString(DssePae.Encode(InToto, "hello world"u8)));
        Assert.Equal("DSSEv1 3 t\u00e9 2 {}", Encoding.UTF8.GetString(DssePae.Encode("t\u00e9", "{}"u8)));
        Assert.Equal("DSSEv1 0  0 ", Encoding.UTF8.GetString(DssePae.Encode("", [])));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void An_envelope_signed_with_an_rsa_or_ecdsa_key_verifies_with_its_certificate_and_yields_the_statement(bool ecdsa)
    {
        using var identity = ProvenanceSamples.Identity(ecdsa);
        using var certificate = ProvenanceSamples.PublicOnly(identity);

        var envelope = DsseEnvelope.Sign(InToto, Statement, identity);

        Assert.Equal(Statement, DsseEnvelope.Verify(envelope, certificate));
        var json = JsonDocument.Parse(envelope).RootElement;
        Assert.Equal(["payloadType", "payload", "signatures"], json.EnumerateObject().Select(p => p.Name));
        Assert.Equal(InToto, json.GetProperty("payloadType").GetString());
        Assert.Equal(Statement, Convert.FromBase64String(json.GetProperty("payload").GetString()!));
        Assert.Equal(DsseEnvelope.KeyId(certificate), json.GetProperty("signatures")[0].GetProperty("keyid").GetString());
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(certificate.RawData)), DsseEnvelope.KeyId(certificate));
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, true)]
    [InlineData(false, true)]
    public void An_envelope_signed_by_another_key_does_not_verify(bool signerEcdsa, bool verifierEcdsa)
    {
        using var signer = ProvenanceSamples.Identity(signerEcdsa, "other");
        using var audit = ProvenanceSamples.Identity(verifierEcdsa);
        using var certificate = ProvenanceSamples.PublicOnly(audit);

        var ex = Assert.Throws<ProvenanceException>(() => DsseEnvelope.Verify(DsseEnvelope.Sign(InToto, Statement, signer), certificate));

        Assert.Equal($"envelope: no signature verifies with the certificate (sha256 fingerprint {DsseEnvelope.KeyId(certificate)})", ex.Message);
    }

    [Fact]
    public void A_changed_payload_under_the_original_signature_does_not_verify()
    {
        using var identity = ProvenanceSamples.Identity();
        var sig = JsonDocument.Parse(DsseEnvelope.Sign(InToto, Statement, identity)).RootElement.GetProperty("signatures")[0].GetProperty("sig").GetString()!;
        var changed = (byte[])Statement.Clone();
        changed[^3] ^= 1;

        var ex = Assert.Throws<ProvenanceException>(() => DsseEnvelope.Verify(Envelope(changed, Convert.FromBase64String(sig)), identity));

        Assert.StartsWith("envelope: no signature verifies with the certificate", ex.Message, StringComparison.Ordinal);
        Assert.Equal(Statement, DsseEnvelope.Verify(Envelope(Statement, Convert.FromBase64String(sig)), identity));
    }

    [Theory]
    [InlineData("DSSEv1 28 application/vnd.in-toto+json {0} ", -1)]
    [InlineData("DSSEv1 28 application/vnd.in-toto+json {0} ", 1)]
    [InlineData("DSSEv1 27 application/vnd.in-toto+json {0} ", 0)]
    [InlineData("DSSEv1 28 application/vnd.in-toto+json{0} ", 0)]
    [InlineData("DSSEv2 28 application/vnd.in-toto+json {0} ", 0)]
    public void A_signature_over_a_pae_whose_lengths_lie_does_not_verify(string paeHeader, int lengthError)
    {
        using var identity = ProvenanceSamples.Identity();
        var header = string.Format(System.Globalization.CultureInfo.InvariantCulture, paeHeader, Statement.Length + lengthError);
        var lying = RsaSign(identity, [.. Encoding.ASCII.GetBytes(header), .. Statement]);

        var ex = Assert.Throws<ProvenanceException>(() => DsseEnvelope.Verify(Envelope(Statement, lying), identity));

        Assert.StartsWith("envelope: no signature verifies", ex.Message, StringComparison.Ordinal);
        // The honest PAE over the same bytes verifies: the test fails for the lie, not for something else.
        Assert.Equal(Statement, DsseEnvelope.Verify(Envelope(Statement, RsaSign(identity, DssePae.Encode(InToto, Statement))), identity));
    }

    [Fact]
    public void One_good_signature_among_foreign_ones_verifies()
    {
        using var identity = ProvenanceSamples.Identity();
        using var other = ProvenanceSamples.Identity(name: "other");
        var pae = DssePae.Encode(InToto, Statement);

        Assert.Equal(Statement, DsseEnvelope.Verify(Envelope(Statement, RsaSign(other, pae), [1, 2, 3], RsaSign(identity, pae)), identity));
    }

    [Fact]
    public void A_certificate_without_its_private_key_cannot_sign()
    {
        using var identity = ProvenanceSamples.Identity();
        using var certificate = ProvenanceSamples.PublicOnly(identity);

        var ex = Assert.Throws<ProvenanceException>(() => DsseEnvelope.Sign(InToto, Statement, certificate));

        Assert.Equal("the signing certificate has no private key", ex.Message);
    }
}
