using System.Security.Cryptography;
using Builder.Core.Signatures;
using Builder.Tests.Common.Signing;

namespace Builder.Core.Tests.Signatures;

public sealed class SshPublicKeyTests
{
    private static readonly TestSigningKey Key = TestSigningKey.Generate("alice@laptop");

    private static string Rejected(string line) => Assert.Throws<FormatException>(() => SshPublicKey.Parse(line)).Message;

    [Fact]
    public void Ed25519_line_parses_with_comment_and_fingerprint()
    {
        var key = SshPublicKey.Parse(Key.PublicKeyLine);

        Assert.Equal("ssh-ed25519", key.Algorithm);
        Assert.Equal("alice@laptop", key.Comment);
        Assert.Equal(Key.Fingerprint, key.Fingerprint);
        Assert.Equal(Key.PublicKeyBlob, key.Blob.ToArray());
        Assert.Equal(Key.PublicKeyLine, key.ToString());
    }

    [Fact]
    public void Comment_may_hold_spaces_and_is_optional()
    {
        var b64 = Convert.ToBase64String(Key.PublicKeyBlob);

        Assert.Equal("Alice Liddell (laptop)", SshPublicKey.Parse($"ssh-ed25519\t{b64}  Alice Liddell (laptop)  ").Comment);
        Assert.Null(SshPublicKey.Parse($"ssh-ed25519 {b64}").Comment);
    }

    [Fact]
    public void BlobEquals_ignores_the_comment_and_tells_keys_apart()
    {
        var b64 = Convert.ToBase64String(Key.PublicKeyBlob);

        Assert.True(SshPublicKey.Parse($"ssh-ed25519 {b64} one").BlobEquals(SshPublicKey.Parse($"ssh-ed25519 {b64} two")));
        Assert.False(SshPublicKey.Parse(Key.PublicKeyLine).BlobEquals(SshPublicKey.Parse(TestSigningKey.Generate().PublicKeyLine)));
    }

    [Fact]
    public void Rsa_key_of_2048_bits_parses()
    {
        using var rsa = RSA.Create(2048);

        Assert.Equal("ssh-rsa", SshPublicKey.Parse($"ssh-rsa {Convert.ToBase64String(DotnetSigners.RsaKeyBlob(rsa))}").Algorithm);
    }

    // Parsing checks sizes only, so a random odd modulus with its top bit set stands in for a key of that size
    // (generating real 16384-bit keys would take minutes).
    [Theory]
    [InlineData(2047, "rsa modulus: 2047 bits; at least 2048 are required")]
    [InlineData(2048, null)]
    [InlineData(16384, null)]
    [InlineData(16392, "rsa modulus: larger than 2048 bytes")]
    [InlineData(16385, "rsa modulus: larger than 2048 bytes")]
    public void Rsa_modulus_size_is_bounded(int bits, string? error)
    {
        var modulus = new byte[(bits + 7) / 8];
        new Random(bits).NextBytes(modulus);
        modulus[0] = (byte)((modulus[0] | 0x80) >> ((8 - (bits % 8)) % 8));
        modulus[^1] |= 1;
        var line = "ssh-rsa " + Convert.ToBase64String(new SshWire().String("ssh-rsa").Mpint([1, 0, 1]).Mpint(modulus).ToArray());

        if (error is null)
        {
            Assert.Equal("ssh-rsa", SshPublicKey.Parse(line).Algorithm);
        }
        else
        {
            Assert.Equal(error, Rejected(line));
        }
    }

    [Fact]
    public void Key_options_are_refused()
    {
        Assert.Equal("key options are not supported; give the bare key line 'type base64 [comment]'",
            Rejected("restrict,command=\"x\" " + Key.PublicKeyLine));
    }

    [Fact]
    public void Unsupported_type_is_named()
    {
        Assert.Equal(
            "unsupported key type 'ssh-dss'; supported: ssh-ed25519, ecdsa-sha2-nistp256, ecdsa-sha2-nistp384, ecdsa-sha2-nistp521, ssh-rsa",
            Rejected("ssh-dss AAAAB3NzaC1kc3M= x"));
    }

    [Fact]
    public void Type_that_does_not_match_the_blob_is_refused()
    {
        Assert.Equal("key type 'ssh-rsa' does not match the key data, which is 'ssh-ed25519'",
            Rejected("ssh-rsa " + Convert.ToBase64String(Key.PublicKeyBlob)));
    }

    [Theory]
    [InlineData("ssh-ed25519 AAAA$$$$", "key data is not valid base64")]
    [InlineData("ssh-ed25519", "key line has no key data after the type")]
    [InlineData("", "unsupported key type ''; supported: ssh-ed25519, ecdsa-sha2-nistp256, ecdsa-sha2-nistp384, ecdsa-sha2-nistp521, ssh-rsa")]
    [InlineData("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAAQA=", "ed25519 public key: 1 bytes; expected 32")]
    public void Malformed_line_is_refused_with_the_reason(string line, string message)
    {
        Assert.Equal(message, Rejected(line));
    }

    [Fact]
    public void Trailing_bytes_in_the_blob_are_refused()
    {
        Assert.Equal("public key: 1 trailing bytes", Rejected("ssh-ed25519 " + Convert.ToBase64String([.. Key.PublicKeyBlob, 0])));
    }

    [Fact]
    public void Control_characters_in_the_comment_are_refused()
    {
        Assert.Equal("key comment contains control characters", Rejected(Key.PublicKeyLine + "\u001b[2J"));
    }

    [Fact]
    public void Overlong_line_is_refused()
    {
        Assert.Equal("key line is 8193 characters; at most 8192 are allowed", Rejected(new string('a', 8193)));
    }

    [Fact]
    public void Ecdsa_point_off_the_curve_is_refused()
    {
        using var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var blob = DotnetSigners.EcdsaKeyBlob(ecdsa, 256);
        blob[^1] ^= 1;

        Assert.Equal("ecdsa public point: not a point on the curve", Rejected("ecdsa-sha2-nistp256 " + Convert.ToBase64String(blob)));
    }

    [Fact]
    public void Ecdsa_curve_name_must_match_the_type()
    {
        var blob = new SshWire().String("ecdsa-sha2-nistp256").String("nistp384").String(new byte[65]).ToArray();

        Assert.Equal("ecdsa curve name: 'nistp384' does not match key type 'ecdsa-sha2-nistp256'",
            Rejected("ecdsa-sha2-nistp256 " + Convert.ToBase64String(blob)));
    }
}
