using System.Text;
using System.Text.Json;

namespace Builder.Core.Provenance;

public static partial class DsseEnvelope
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>
    /// Exactly <c>payloadType</c>, <c>payload</c> and <c>signatures</c>, each once and of its type; nothing else, nothing
    /// after the object. Strict so that what was verified is all the envelope says.
    /// </summary>
    internal static DsseEnvelopeContent Parse(ReadOnlySpan<byte> envelope)
    {
        if (envelope.Length > MaxEnvelopeBytes)
        {
            throw Fail($"{envelope.Length} bytes exceed the limit of {MaxEnvelopeBytes}");
        }
        try
        {
            StrictUtf8.GetCharCount(envelope);
        }
        catch (DecoderFallbackException)
        {
            throw Fail("not valid UTF-8");
        }
        var reader = new Utf8JsonReader(envelope, new JsonReaderOptions { MaxDepth = 4, CommentHandling = JsonCommentHandling.Disallow });
        try
        {
            return ReadEnvelope(ref reader);
        }
        catch (JsonException e)
        {
            throw Fail($"not valid JSON at line {(e.LineNumber ?? 0) + 1}, byte {(e.BytePositionInLine ?? 0) + 1}");
        }
    }

    private static DsseEnvelopeContent ReadEnvelope(ref Utf8JsonReader reader)
    {
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            throw Fail("expected a JSON object");
        }
        string? payloadType = null;
        byte[]? payload = null;
        List<DsseSignature>? signatures = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = reader.GetString()!;
            reader.Read();
            switch (name)
            {
                case "payloadType" when payloadType is null:
                    payloadType = String(ref reader, "payloadType");
                    if (payloadType != ProvenanceTypes.InTotoPayload)
                    {
                        throw Fail($"payloadType '{Shorten(payloadType)}' is not '{ProvenanceTypes.InTotoPayload}'");
                    }
                    break;
                case "payload" when payload is null:
                    payload = Base64(String(ref reader, "payload"), MaxEnvelopeBytes, "payload");
                    break;
                case "signatures" when signatures is null:
                    signatures = Signatures(ref reader);
                    break;
                case "payloadType" or "payload" or "signatures":
                    throw Fail($"member '{name}' appears twice");
                default:
                    throw Fail($"unknown member '{Shorten(name)}'");
            }
        }
        if (reader.TokenType != JsonTokenType.EndObject)
        {
            throw Fail("expected a JSON object");
        }
        if (reader.Read())
        {
            throw Fail("unexpected content after the envelope");
        }
        return new(payloadType ?? throw Missing("payloadType"), payload ?? throw Missing("payload"), signatures ?? throw Missing("signatures"));
    }

    private static List<DsseSignature> Signatures(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw Fail("'signatures' must be an array");
        }
        var list = new List<DsseSignature>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (list.Count == MaxSignatures)
            {
                throw Fail($"more than {MaxSignatures} signatures");
            }
            list.Add(Signature(ref reader, list.Count + 1));
        }
        if (list.Count == 0)
        {
            throw Fail("'signatures' is empty");
        }
        return list;
    }

    private static DsseSignature Signature(ref Utf8JsonReader reader, int index)
    {
        var what = $"signature {index}";
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw Fail($"{what} must be an object");
        }
        string? keyId = null;
        byte[]? sig = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = reader.GetString()!;
            reader.Read();
            switch (name)
            {
                case "keyid" when keyId is null:
                    keyId = String(ref reader, $"{what}: 'keyid'");
                    if (keyId.Length > MaxKeyIdLength)
                    {
                        throw Fail($"{what}: 'keyid' is longer than {MaxKeyIdLength} characters");
                    }
                    break;
                case "sig" when sig is null:
                    sig = Base64(String(ref reader, $"{what}: 'sig'"), MaxSignatureBytes, $"{what}: 'sig'");
                    break;
                case "keyid" or "sig":
                    throw Fail($"{what}: member '{name}' appears twice");
                default:
                    throw Fail($"{what}: unknown member '{Shorten(name)}'");
            }
        }
        return new(keyId ?? "", sig ?? throw Missing($"{what}: 'sig'"));
    }

    private static string String(ref Utf8JsonReader reader, string what) =>
        reader.TokenType == JsonTokenType.String ? reader.GetString()! : throw Fail($"{What(what)} must be a string");

    private static byte[] Base64(string text, int maxBytes, string what) =>
        StrictBase64.TryDecode(text, maxBytes, out var bytes) ? bytes
            : throw Fail($"{What(what)} is not strict base64 of at most {maxBytes} bytes (standard alphabet, padded, no whitespace)");

    private static string What(string what) => what.Contains('\'', StringComparison.Ordinal) ? what : $"'{what}'";

    private static ProvenanceException Missing(string what) => Fail($"{What(what)} is missing");

    private static ProvenanceException Fail(string problem) => new($"envelope: {problem}");

    /// <summary>Names from the input are echoed at most 64 characters long, so an error never carries a huge field.</summary>
    private static string Shorten(string s) => s.Length <= 64 ? s : s[..64] + "…";
}
