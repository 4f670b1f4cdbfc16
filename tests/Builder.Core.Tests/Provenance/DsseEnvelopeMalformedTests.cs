using System.Text;
using Builder.Core.Provenance;
using Builder.Tests.Common.Provenance;

namespace Builder.Core.Tests.Provenance;

/// <summary>Fuzz-style: every malformed envelope is refused with its exact reason, and nothing but <see cref="ProvenanceException"/> escapes.</summary>
public sealed class DsseEnvelopeMalformedTests : IDisposable
{
    private const string T = "\"payloadType\":\"application/vnd.in-toto+json\"";
    private const string P = "\"payload\":\"e30=\"";
    private const string S = "\"signatures\":[{\"keyid\":\"\",\"sig\":\"AAAA\"}]";

    private readonly System.Security.Cryptography.X509Certificates.X509Certificate2 _identity = ProvenanceSamples.Identity();

    public void Dispose() => _identity.Dispose();

    private ProvenanceException Refused(string envelope) => Refused(Encoding.UTF8.GetBytes(envelope));

    private ProvenanceException Refused(byte[] envelope) => Assert.Throws<ProvenanceException>(() => DsseEnvelope.Verify(envelope, _identity));

    public static TheoryData<string, string> Cases => new()
    {
        { "", "envelope: not valid JSON at line 1, byte 1" },
        { "[]", "envelope: expected a JSON object" },
        { "\"x\"", "envelope: expected a JSON object" },
        { $"{{{T},{P},{S}", "envelope: not valid JSON at line 1, byte 104" },
        { $"{{{T},{P},{S}}} {{}}", "envelope: not valid JSON at line 1, byte 106" },
        { $"{{{T},{P}}}", "envelope: 'signatures' is missing" },
        { $"{{{P},{S}}}", "envelope: 'payloadType' is missing" },
        { $"{{{T},{S}}}", "envelope: 'payload' is missing" },
        { $"{{{T},{T},{P},{S}}}", "envelope: member 'payloadType' appears twice" },
        { $"{{{T},{P},{S},{S}}}", "envelope: member 'signatures' appears twice" },
        { $"{{{T},{P},{S},\"extra\":1}}", "envelope: unknown member 'extra'" },
        { $"{{\"payloadType\":7,{P},{S}}}", "envelope: 'payloadType' must be a string" },
        { $"{{\"payloadType\":\"text/plain\",{P},{S}}}", "envelope: payloadType 'text/plain' is not 'application/vnd.in-toto+json'" },
        { $"{{\"payloadType\":\"application/vnd.in-toto+json \",{P},{S}}}", "envelope: payloadType 'application/vnd.in-toto+json ' is not 'application/vnd.in-toto+json'" },
        { $"{{{T},\"payload\":[],{S}}}", "envelope: 'payload' must be a string" },
        { $"{{{T},\"payload\":\"e30\",{S}}}", "envelope: 'payload' is not strict base64 of at most 4194304 bytes (standard alphabet, padded, no whitespace)" },
        { $"{{{T},\"payload\":\"e3 0=\",{S}}}", "envelope: 'payload' is not strict base64 of at most 4194304 bytes (standard alphabet, padded, no whitespace)" },
        { $"{{{T},\"payload\":\"e31=\",{S}}}", "envelope: 'payload' is not strict base64 of at most 4194304 bytes (standard alphabet, padded, no whitespace)" },
        { $"{{{T},\"payload\":\"-_-_\",{S}}}", "envelope: 'payload' is not strict base64 of at most 4194304 bytes (standard alphabet, padded, no whitespace)" },
        { $"{{{T},\"payload\":\"e30=\\n\",{S}}}", "envelope: 'payload' is not strict base64 of at most 4194304 bytes (standard alphabet, padded, no whitespace)" },
        { $"{{{T},\"payload\":\"=e30\",{S}}}", "envelope: 'payload' is not strict base64 of at most 4194304 bytes (standard alphabet, padded, no whitespace)" },
        { $"{{{T},{P},\"signatures\":{{}}}}", "envelope: 'signatures' must be an array" },
        { $"{{{T},{P},\"signatures\":[]}}", "envelope: 'signatures' is empty" },
        { $"{{{T},{P},\"signatures\":[\"AAAA\"]}}", "envelope: signature 1 must be an object" },
        { $"{{{T},{P},\"signatures\":[{{\"keyid\":\"\"}}]}}", "envelope: signature 1: 'sig' is missing" },
        { $"{{{T},{P},\"signatures\":[{{\"sig\":1}}]}}", "envelope: signature 1: 'sig' must be a string" },
        { $"{{{T},{P},\"signatures\":[{{\"sig\":\"AAAA\",\"sig\":\"AAAA\"}}]}}", "envelope: signature 1: member 'sig' appears twice" },
        { $"{{{T},{P},\"signatures\":[{{\"sig\":\"AAAA\",\"cert\":\"x\"}}]}}", "envelope: signature 1: unknown member 'cert'" },
        { $"{{{T},{P},\"signatures\":[{{\"sig\":\"AAAA\"}},{{\"sig\":\"AA==\",\"keyid\":null}}]}}", "envelope: signature 2: 'keyid' must be a string" },
        { $"{{{T},{P},\"signatures\":[{{\"sig\":\"AA\"}}]}}", "envelope: signature 1: 'sig' is not strict base64 of at most 4096 bytes (standard alphabet, padded, no whitespace)" },
        { $"{{{T},{P},\"signatures\":[[[[[]]]]]}}", "envelope: signature 1 must be an object" },
        { $"{{{T},{P},{S}}}", "envelope: no signature verifies with the certificate" },
        { $"{{{S},{P},{T}}}", "envelope: no signature verifies with the certificate" },
        { $"{{ /* c */ {T},{P},{S}}}", "envelope: not valid JSON at line 1, byte 3" },
        { $"{{{T},{P},{S},}}", "envelope: not valid JSON at line 1, byte 105" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void A_malformed_envelope_is_refused_with_the_exact_reason(string envelope, string message)
    {
        var ex = Refused(envelope);

        if (message.StartsWith("envelope: no signature", StringComparison.Ordinal))
        {
            Assert.StartsWith(message, ex.Message, StringComparison.Ordinal);
        }
        else
        {
            Assert.Equal(message, ex.Message);
        }
    }

    [Fact]
    public void An_envelope_over_the_size_limit_is_refused_before_it_is_parsed()
    {
        var huge = $"{{{T},{P},{S},\"extra\":\"{new string('A', DsseEnvelope.MaxEnvelopeBytes)}\"}}";

        Assert.Equal($"envelope: {huge.Length} bytes exceed the limit of 4194304", Refused(huge).Message);
    }

    [Fact]
    public void A_huge_unknown_member_name_is_echoed_shortened()
    {
        var name = new string('n', 100_000);

        Assert.Equal($"envelope: unknown member '{new string('n', 64)}…'", Refused($"{{\"{name}\":1,{T},{P},{S}}}").Message);
    }

    [Fact]
    public void More_than_eight_signatures_are_refused()
    {
        var sigs = string.Join(',', Enumerable.Repeat("{\"sig\":\"AAAA\"}", 9));

        Assert.Equal("envelope: more than 8 signatures", Refused($"{{{T},{P},\"signatures\":[{sigs}]}}").Message);
    }

    [Fact]
    public void A_keyid_longer_than_256_characters_is_refused()
    {
        Assert.Equal("envelope: signature 1: 'keyid' is longer than 256 characters",
            Refused($"{{{T},{P},\"signatures\":[{{\"keyid\":\"{new string('k', 257)}\",\"sig\":\"AAAA\"}}]}}").Message);
    }

    [Fact]
    public void Invalid_utf8_is_refused()
    {
        byte[] bytes = [.. Encoding.UTF8.GetBytes($"{{{T},{P},\"signatures\":[{{\"keyid\":\""), 0xc3, 0x28, .. "\",\"sig\":\"AAAA\"}]}"u8];

        Assert.Equal("envelope: not valid UTF-8", Refused(bytes).Message);
    }

    [Fact]
    public void Every_truncation_of_a_valid_envelope_is_refused()
    {
        var envelope = DsseEnvelope.Sign("application/vnd.in-toto+json", ProvenanceStatement.ToJson(ProvenanceSamples.Facts()), _identity);

        for (var length = 0; length < envelope.Length; length++)
        {
            Refused(envelope[..length]);
        }
        Assert.NotEmpty(DsseEnvelope.Verify(envelope, _identity));
    }

    [Fact]
    public void Random_byte_changes_either_are_refused_or_leave_the_payload_unchanged()
    {
        var statement = ProvenanceStatement.ToJson(ProvenanceSamples.Facts());
        var envelope = DsseEnvelope.Sign("application/vnd.in-toto+json", statement, _identity);
        var random = new Random(16);
        var refused = 0;

        for (var i = 0; i < 2000; i++)
        {
            var changed = (byte[])envelope.Clone();
            for (var n = random.Next(1, 4); n > 0; n--)
            {
                changed[random.Next(changed.Length)] = (byte)random.Next(256);
            }
            try
            {
                // Only a change of the keyid hint, or none at all, can still verify.
                Assert.Equal(statement, DsseEnvelope.Verify(changed, _identity));
            }
            catch (ProvenanceException)
            {
                refused++;
            }
        }

        Assert.True(refused > 1900, $"only {refused} of 2000 changed envelopes were refused");
    }
}
