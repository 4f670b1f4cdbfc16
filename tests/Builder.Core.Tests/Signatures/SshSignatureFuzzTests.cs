using System.Security.Cryptography;
using System.Text;
using Builder.Core.Signatures;
using Builder.Core.Tests.Requests;
using Builder.Tests.Common.Signing;

namespace Builder.Core.Tests.Signatures;

/// <summary>Fuzz-style: mutated armor and mutated blobs raise only SshSignatureFormatException; Verify never throws.</summary>
public sealed class SshSignatureFuzzTests
{
    private const int Seed = 1_000_003;
    private const int Cases = 12_000;
    private static readonly byte[] Message = "builder-request 1\naction submit\n"u8.ToArray();

    private static List<string> Armored()
    {
        using var rsa = RSA.Create(2048);
        using var p256 = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var p521 = ECDsa.Create(ECCurve.NamedCurves.nistP521);
        return
        [
            TestSigningKey.Generate().Sign(Message, "builder"),
            TestSigningKey.Generate().Sign(Message, "builder", "sha256"),
            DotnetSigners.Rsa(rsa, "rsa-sha2-512", Message, "builder").Armored,
            DotnetSigners.Rsa(rsa, "rsa-sha2-256", Message, "builder").Armored,
            DotnetSigners.Ecdsa(p256, 256, Message, "builder").Armored,
            DotnetSigners.Ecdsa(p521, 521, Message, "builder").Armored,
        ];
    }

    [Fact]
    public void Mutated_signatures_only_raise_SshSignatureFormatException()
    {
        var armored = Armored();
        var texts = armored.Select(Encoding.ASCII.GetBytes).ToList();
        var blobs = armored.Select(SshSignatureBlobs.Decode).ToList();
        var mutator = new ByteMutator(Seed);
        var parsed = 0;
        for (var i = 0; i < Cases; i++)
        {
            // Half the cases mutate the decoded blob and re-armor it, so the structure parser sees them, not just base64.
            var input = (i % 6) switch
            {
                0 => Encoding.Latin1.GetString(mutator.Mutate(texts[mutator.Random.Next(texts.Count)], texts)),
                1 => Encoding.Latin1.GetString(mutator.RandomBytes(400)),
                2 => SshSig.Armor(mutator.RandomBytes(300)),
                _ => SshSig.Armor(mutator.Mutate(blobs[mutator.Random.Next(blobs.Count)], blobs)),
            };
            var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
            try
            {
                var signature = SshSignature.ParseArmored(input);
                parsed++;
                signature.Verify(Message);
                signature.Verify(Message, SshSignature.BuilderNamespace);
            }
            catch (SshSignatureFormatException e)
            {
                Assert.False(string.IsNullOrWhiteSpace(e.Message), $"case {i}: empty message");
            }
            catch (Exception e)
            {
                Assert.Fail($"case {i} (seed {Seed}) threw {e.GetType().Name}: {e.Message}; input {Convert.ToBase64String(Encoding.Latin1.GetBytes(input))}");
            }
            var allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
            Assert.True(allocated < 1024 * 1024, $"case {i} allocated {allocated} bytes");
        }
        Assert.InRange(parsed, 1, Cases - 1);
    }

    [Fact]
    public void Mutated_public_key_lines_only_raise_FormatException()
    {
        using var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var lines = new List<byte[]>
        {
            Encoding.ASCII.GetBytes(TestSigningKey.Generate().PublicKeyLine),
            Encoding.ASCII.GetBytes("ecdsa-sha2-nistp256 " + Convert.ToBase64String(DotnetSigners.EcdsaKeyBlob(ecdsa, 256)) + " x"),
        };
        var mutator = new ByteMutator(Seed + 1);
        for (var i = 0; i < Cases; i++)
        {
            var input = Encoding.Latin1.GetString(mutator.Mutate(lines[mutator.Random.Next(lines.Count)], lines));
            try
            {
                SshPublicKey.Parse(input);
            }
            catch (FormatException e) when (e is not SshSignatureFormatException)
            {
                Assert.False(string.IsNullOrWhiteSpace(e.Message));
            }
            catch (Exception e)
            {
                Assert.Fail($"case {i} (seed {Seed + 1}) threw {e.GetType().Name}: {e.Message}; input {input}");
            }
        }
    }
}
