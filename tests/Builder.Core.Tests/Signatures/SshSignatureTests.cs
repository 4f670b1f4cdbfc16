using System.Security.Cryptography;
using System.Text;
using Builder.Core.Signatures;
using Builder.Tests.Common.Signing;

namespace Builder.Core.Tests.Signatures;

public sealed class SshSignatureTests
{
    private static readonly byte[] Message = "builder-request 1\n"u8.ToArray();
    private static readonly TestSigningKey Key = TestSigningKey.Generate();

    private static string Armored(uint version = 1, string ns = "builder", string hash = "sha512", byte[]? reserved = null,
        byte[]? signatureBlob = null, byte[]? keyBlob = null) =>
        SshSig.Armor(SshSig.Blob(keyBlob ?? Key.PublicKeyBlob, ns,
            signatureBlob ?? Key.SignatureBlob(SshSig.SignedData(Message, ns, hash)), hash, version, reserved));

    private static string Rejected(string armored) =>
        Assert.Throws<SshSignatureFormatException>(() => SshSignature.ParseArmored(armored)).Message;

    [Fact]
    public void TestSigningKey_signature_parses_and_verifies()
    {
        var signature = SshSignature.ParseArmored(Key.Sign(Message, "builder"));

        Assert.True(signature.Verify(Message));
        Assert.Equal(Key.Fingerprint, signature.PublicKey.Fingerprint);
        Assert.Equal("ssh-ed25519", signature.SignatureAlgorithm);
    }

    [Fact]
    public void Crlf_line_ends_and_surrounding_whitespace_are_tolerated()
    {
        var armored = "\n  " + Key.Sign(Message, "builder").Replace("\n", "\r\n", StringComparison.Ordinal) + "  \n";

        Assert.True(SshSignature.ParseArmored(armored).Verify(Message));
    }

    [Fact]
    public void Flipped_signature_bit_does_not_verify()
    {
        var blob = SshSignatureBlobs.Decode(Key.Sign(Message, "builder"));
        blob[^5] ^= 0x01;

        Assert.False(SshSignature.ParseArmored(SshSig.Armor(blob)).Verify(Message));
    }

    [Fact]
    public void Signature_of_other_key_type_claiming_an_ed25519_key_is_rejected()
    {
        using var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var (_, armored) = DotnetSigners.Ecdsa(ecdsa, 256, Message, "builder");
        var blob = SshSignatureBlobs.ReplaceKey(SshSignatureBlobs.Decode(armored), Key.PublicKeyBlob);

        Assert.Equal("the signature is malformed: signature algorithm 'ecdsa-sha2-nistp256' does not match the ssh-ed25519 key",
            Rejected(SshSig.Armor(blob)));
    }

    [Fact]
    public void Rsa_key_under_2048_bits_is_rejected()
    {
        using var rsa = RSA.Create(1024);
        var (_, armored) = DotnetSigners.Rsa(rsa, "rsa-sha2-512", Message, "builder");

        Assert.Equal("the signature is malformed: rsa modulus: 1024 bits; at least 2048 are required", Rejected(armored));
    }

    [Theory]
    [InlineData(256)]
    [InlineData(384)]
    [InlineData(521)]
    public void Ecdsa_signature_with_changed_message_does_not_verify(int bits)
    {
        using var ecdsa = ECDsa.Create(DotnetSigners.Curve(bits));
        var (_, armored) = DotnetSigners.Ecdsa(ecdsa, bits, Message, "builder");
        var signature = SshSignature.ParseArmored(armored);

        Assert.True(signature.Verify(Message));
        Assert.False(signature.Verify("builder-request 2\n"u8));
    }

    [Fact]
    public void Missing_header_is_rejected()
    {
        Assert.Equal("the signature does not start with '-----BEGIN SSH SIGNATURE-----'",
            Rejected(Armored().Replace("BEGIN SSH SIGNATURE", "BEGIN PGP SIGNATURE", StringComparison.Ordinal)));
    }

    [Fact]
    public void Missing_footer_is_rejected()
    {
        Assert.Equal("the signature does not end with '-----END SSH SIGNATURE-----'",
            Rejected(Armored().Replace("-----END SSH SIGNATURE-----", "", StringComparison.Ordinal)));
    }

    [Fact]
    public void Non_base64_line_is_rejected_with_its_number()
    {
        var lines = Armored().Split('\n');
        lines[2] = lines[2][..10] + "!" + lines[2][11..];

        Assert.Equal("line 3 of the signature is not base64", Rejected(string.Join('\n', lines)));
    }

    [Fact]
    public void Base64_with_bad_padding_is_rejected()
    {
        Assert.Equal("the signature's base64 does not decode",
            Rejected("-----BEGIN SSH SIGNATURE-----\nU1NIU0lHA=AAAQ\n-----END SSH SIGNATURE-----\n"));
    }

    [Fact]
    public void Empty_body_is_rejected()
    {
        Assert.Equal("the signature does not end with '-----END SSH SIGNATURE-----'",
            Rejected("-----BEGIN SSH SIGNATURE-----\n-----END SSH SIGNATURE-----\n"));
    }

    [Fact]
    public void Oversized_armor_is_rejected_before_decoding()
    {
        var armored = Armored() + new string(' ', SshSignature.MaxArmoredLength);

        Assert.Equal($"the signature is {armored.Length} characters; at most 16384 are allowed", Rejected(armored));
    }

    [Fact]
    public void Wrong_magic_is_rejected()
    {
        var blob = SshSignatureBlobs.Decode(Armored());
        blob[0] = (byte)'X';

        Assert.Equal("the signature is not an SSHSIG blob (wrong magic)", Rejected(SshSig.Armor(blob)));
    }

    [Theory]
    [InlineData(0u)]
    [InlineData(2u)]
    public void Version_other_than_1_is_rejected(uint version)
    {
        Assert.Equal($"the signature has SSHSIG version {version}; only version 1 is supported", Rejected(Armored(version)));
    }

    [Fact]
    public void Trailing_bytes_after_the_blob_are_rejected()
    {
        var blob = SshSignatureBlobs.Decode(Armored());

        Assert.Equal("the signature is malformed: signature blob: 1 trailing bytes", Rejected(SshSig.Armor([.. blob, 0])));
    }

    [Fact]
    public void Trailing_bytes_inside_the_signature_field_are_rejected()
    {
        var sig = new SshWire().String("ssh-ed25519").String(Key.SignRaw(SshSig.SignedData(Message, "builder"))).Raw([1, 2]).ToArray();

        Assert.Equal("the signature is malformed: signature: 2 trailing bytes", Rejected(Armored(signatureBlob: sig)));
    }

    [Fact]
    public void Non_empty_reserved_field_is_rejected()
    {
        Assert.Equal("the signature's reserved field is not empty", Rejected(Armored(reserved: [1])));
    }

    [Fact]
    public void Unsupported_hash_algorithm_is_rejected()
    {
        Assert.Equal("the signature uses hash algorithm 'sha1'; only sha256 and sha512 are supported", Rejected(Armored(hash: "sha1")));
    }

    [Fact]
    public void Empty_namespace_is_rejected()
    {
        Assert.Equal("the signature is malformed: namespace: empty", Rejected(Armored(ns: "")));
    }

    [Fact]
    public void Unsupported_key_type_is_rejected()
    {
        var dss = new SshWire().String("ssh-dss").String([1]).String([2]).String([3]).String([4]).ToArray();

        Assert.Equal(
            "the signature is malformed: unsupported key type 'ssh-dss'; supported: ssh-ed25519, ecdsa-sha2-nistp256, ecdsa-sha2-nistp384, ecdsa-sha2-nistp521, ssh-rsa",
            Rejected(Armored(keyBlob: dss)));
    }

    [Fact]
    public void Ed25519_signature_of_wrong_length_is_rejected()
    {
        var sig = new SshWire().String("ssh-ed25519").String(new byte[63]).ToArray();

        Assert.Equal("the signature is malformed: ed25519 signature: 63 bytes; expected 64", Rejected(Armored(signatureBlob: sig)));
    }

    [Fact]
    public void Huge_length_field_is_rejected_without_reading_past_the_blob()
    {
        var blob = new SshWire().Raw(SshSig.Magic).UInt32(1).UInt32(uint.MaxValue).Raw([1, 2, 3]).ToArray();

        Assert.Equal("the signature is malformed: public key: 4294967295 bytes; at most 4096 are allowed", Rejected(SshSig.Armor(blob)));
    }

    [Fact]
    public void Truncated_blob_is_rejected()
    {
        var blob = SshSignatureBlobs.Decode(Armored());

        Assert.Equal("the signature is malformed: signature: truncated", Rejected(SshSig.Armor(blob[..^10])));
    }

    [Fact]
    public void Message_is_not_echoed_in_ToString()
    {
        var text = SshSignature.ParseArmored(Armored()).ToString();

        Assert.Equal($"SSHSIG builder ssh-ed25519 {Key.Fingerprint}", text);
        Assert.DoesNotContain(Encoding.ASCII.GetString(Message).Trim(), text, StringComparison.Ordinal);
    }
}
