using System.Text;
using Builder.Core.Signatures;
using Builder.Tests.Common;
using Builder.Tests.Common.Signing;

namespace Builder.Core.Tests.Signatures;

/// <summary>Both directions against the real OpenSSH ssh-keygen.</summary>
[Trait(Categories.Name, Categories.Integration)]
public sealed class SshSignatureInteropTests(SshKeygenKeys keys) : IClassFixture<SshKeygenKeys>
{
    private static readonly byte[] Message = Encoding.UTF8.GetBytes(
        "builder-request 1\naction submit\npocket dev\npackage hello\nrequester alice\nnonce 0123456789abcdef0123456789abcdef\nissued 2026-11-22T17:30:00Z\n");

    public static TheoryData<string, string, string> KeyKinds => new()
    {
        { "ed25519", "ssh-ed25519", "ssh-ed25519" },
        { "ecdsa256", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp256" },
        { "ecdsa384", "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp384" },
        { "ecdsa521", "ecdsa-sha2-nistp521", "ecdsa-sha2-nistp521" },
        { "rsa", "ssh-rsa", "rsa-sha2-512" },
    };

    public static TheoryData<string> Kinds => new(SshKeygenKeys.Kinds.Keys);

    [Theory]
    [MemberData(nameof(KeyKinds))]
    public async Task Signature_made_by_ssh_keygen_verifies(string kind, string keyAlgorithm, string signatureAlgorithm)
    {
        var (path, line) = keys.Keys[kind];

        var signature = SshSignature.ParseArmored(await SshKeygen.SignAsync(path, "builder", Message));

        Assert.True(signature.Verify(Message));
        Assert.True(signature.Verify(Message, SshSignature.BuilderNamespace));
        Assert.Equal("builder", signature.Namespace);
        Assert.Equal("sha512", signature.HashAlgorithm);
        Assert.Equal(keyAlgorithm, signature.PublicKey.Algorithm);
        Assert.Equal(signatureAlgorithm, signature.SignatureAlgorithm);
        Assert.True(signature.PublicKey.BlobEquals(SshPublicKey.Parse(line)));
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Signature_with_sha256_message_hash_verifies(string kind)
    {
        var armored = await SshKeygen.RunCheckedAsync(["-Y", "sign", "-f", keys.Keys[kind].Path, "-n", "builder", "-O", "hashalg=sha256"], Message);

        var signature = SshSignature.ParseArmored(armored);

        Assert.Equal("sha256", signature.HashAlgorithm);
        Assert.True(signature.Verify(Message));
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Payload_changed_after_signing_is_rejected(string kind)
    {
        var signature = SshSignature.ParseArmored(await SshKeygen.SignAsync(keys.Keys[kind].Path, "builder", Message));
        var changed = (byte[])Message.Clone();
        changed[^3] ^= 1;

        Assert.False(signature.Verify(changed));
        Assert.False(signature.Verify(Message.AsSpan(0, Message.Length - 1)));
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Right_key_with_wrong_namespace_is_rejected(string kind)
    {
        var signature = SshSignature.ParseArmored(await SshKeygen.SignAsync(keys.Keys[kind].Path, "file", Message));

        Assert.Equal("file", signature.Namespace);
        Assert.False(signature.Verify(Message, SshSignature.BuilderNamespace));
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Namespace_rewritten_to_builder_after_signing_does_not_verify(string kind)
    {
        var original = SshSignature.ParseArmored(await SshKeygen.SignAsync(keys.Keys[kind].Path, "buildex", Message));
        var blob = SshSignatureBlobs.Decode(await SshKeygen.SignAsync(keys.Keys[kind].Path, "buildex", Message));
        var at = blob.AsSpan().IndexOf("buildex"u8);
        "builder"u8.CopyTo(blob.AsSpan(at));

        var forged = SshSignature.ParseArmored(SshSig.Armor(blob));

        Assert.True(original.Verify(Message));
        Assert.Equal("builder", forged.Namespace);
        Assert.False(forged.Verify(Message, SshSignature.BuilderNamespace));
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Signature_claiming_another_key_does_not_verify(string kind)
    {
        var other = TestEnvironment.NewTempDirectory("otherkey");
        try
        {
            var (type, bits) = SshKeygenKeys.Kinds[kind];
            var otherLine = await SshKeygen.GenerateAsync(Path.Combine(other, "k"), type, bits);
            var blob = SshSignatureBlobs.Decode(await SshKeygen.SignAsync(keys.Keys[kind].Path, "builder", Message));
            var swapped = SshSignatureBlobs.ReplaceKey(blob, SshPublicKey.Parse(otherLine).Blob.ToArray());

            var signature = SshSignature.ParseArmored(SshSig.Armor(swapped));

            Assert.True(signature.PublicKey.BlobEquals(SshPublicKey.Parse(otherLine)));
            Assert.False(signature.Verify(Message));
        }
        finally
        {
            Directory.Delete(other, recursive: true);
        }
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Fingerprint_equals_ssh_keygen_l(string kind)
    {
        var (path, line) = keys.Keys[kind];

        Assert.Equal(await SshKeygen.FingerprintAsync(path + ".pub"), SshPublicKey.Parse(line).Fingerprint);
    }

    [Fact]
    public async Task TestSigningKey_signature_is_accepted_by_ssh_keygen_verify()
    {
        var key = TestSigningKey.Generate();
        var armored = key.Sign(Message, "builder");

        var result = await SshKeygen.VerifyAsync(keys.Directory, "alice", key.PublicKeyLine, "builder", armored, Message);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("Good \"builder\" signature for alice with ED25519 key " + key.Fingerprint, result.Stdout + result.Stderr,
            StringComparison.Ordinal);
        Assert.True(SshSignature.ParseArmored(armored).Verify(Message));
    }

    [Fact]
    public async Task TestSigningKey_signature_over_another_message_is_refused_by_ssh_keygen_verify()
    {
        var key = TestSigningKey.Generate();
        var armored = key.Sign(Message, "builder");

        var result = await SshKeygen.VerifyAsync(keys.Directory, "alice", key.PublicKeyLine, "builder", armored, [.. Message, (byte)'x']);

        Assert.NotEqual(0, result.ExitCode);
    }

    [Fact]
    public async Task TestSigningKey_private_key_file_signs_with_ssh_keygen_and_has_the_same_fingerprint()
    {
        var key = TestSigningKey.Generate("bench@builder");
        var path = Path.Combine(keys.Directory, "testsigningkey");
        key.WritePrivateKeyFile(path);

        var signature = SshSignature.ParseArmored(await SshKeygen.SignAsync(path, "builder", Message));

        Assert.True(signature.Verify(Message));
        Assert.Equal(key.Fingerprint, signature.PublicKey.Fingerprint);
        Assert.Equal(key.Fingerprint, await SshKeygen.FingerprintAsync(path + ".pub"));
        // ssh-keygen derives the public key from the private file; it must be ours.
        var derived = await SshKeygen.RunCheckedAsync(["-y", "-f", path]);
        Assert.True(SshPublicKey.Parse(derived.Trim()).BlobEquals(SshPublicKey.Parse(key.PublicKeyLine)));
    }

    [Fact]
    public async Task Rsa_sha2_256_signature_verifies_here_and_in_ssh_keygen()
    {
        using var rsa = System.Security.Cryptography.RSA.Create(2048);
        var (line, armored) = DotnetSigners.Rsa(rsa, "rsa-sha2-256", Message, "builder");

        var signature = SshSignature.ParseArmored(armored);
        var result = await SshKeygen.VerifyAsync(keys.Directory, "alice", line, "builder", armored, Message);

        Assert.Equal("rsa-sha2-256", signature.SignatureAlgorithm);
        Assert.True(signature.Verify(Message));
        Assert.True(result.ExitCode == 0, result.ToString());
    }

    [Fact]
    public async Task Rsa_sha1_signature_is_refused_here_and_in_ssh_keygen()
    {
        using var rsa = System.Security.Cryptography.RSA.Create(2048);
        var (line, armored) = DotnetSigners.Rsa(rsa, "ssh-rsa", Message, "builder");

        var e = Assert.Throws<SshSignatureFormatException>(() => SshSignature.ParseArmored(armored));
        var result = await SshKeygen.VerifyAsync(keys.Directory, "alice", line, "builder", armored, Message);

        Assert.Equal(
            "the signature is malformed: signature algorithm 'ssh-rsa' (RSA with SHA-1) is refused; sign with rsa-sha2-256 or rsa-sha2-512",
            e.Message);
        Assert.NotEqual(0, result.ExitCode);
    }

    [Theory]
    [InlineData(256)]
    [InlineData(384)]
    [InlineData(521)]
    public async Task Ecdsa_signature_made_in_dotnet_is_accepted_by_ssh_keygen(int bits)
    {
        using var ecdsa = System.Security.Cryptography.ECDsa.Create(DotnetSigners.Curve(bits));
        var (line, armored) = DotnetSigners.Ecdsa(ecdsa, bits, Message, "builder");

        var result = await SshKeygen.VerifyAsync(keys.Directory, "alice", line, "builder", armored, Message);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.True(SshSignature.ParseArmored(armored).Verify(Message));
    }
}
