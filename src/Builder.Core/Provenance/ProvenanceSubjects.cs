using System.Text.Json;
using Builder.Core.Audit;

namespace Builder.Core.Provenance;

/// <summary>
/// Reads the subjects of a verified statement and checks files against them: each file, by its name and the sha256 of
/// its content, must be a subject with that digest. The statement is read strictly (its four members once each, the
/// types ours) even though it is signed: a verifier must not read a list other than the one another tool reads.
/// </summary>
public static class ProvenanceSubjects
{
    /// <summary>As many as an audit record's artifacts.</summary>
    public const int MaxSubjects = AuditValueRules.MaxArtifacts;

    /// <summary>Every error at once, each naming the file: a wrong digest, or a name no subject has.</summary>
    public static ProvenanceSubjectCheck Check(ReadOnlySpan<byte> statementJson, IReadOnlyList<ProvenanceFile> files)
    {
        ArgumentNullException.ThrowIfNull(files);
        var subjects = Read(statementJson);
        var byName = subjects.ToDictionary(s => s.Name, s => s.Sha256, StringComparer.Ordinal);
        var errors = new List<string>();
        foreach (var f in files)
        {
            if (!byName.TryGetValue(f.Name, out var expected))
            {
                errors.Add($"{f.Name} is not a subject");
            }
            else if (!string.Equals(expected, f.Sha256, StringComparison.Ordinal))
            {
                errors.Add($"{f.Name}: sha256 {f.Sha256} is not the subject's {expected}");
            }
        }
        return new(subjects, errors);
    }

    /// <summary>The subjects of an in-toto Statement v1 with a SLSA Provenance v1 predicate; else a <see cref="ProvenanceException"/>.</summary>
    public static IReadOnlyList<ProvenanceFile> Read(ReadOnlySpan<byte> statementJson)
    {
        if (statementJson.Length > DsseEnvelope.MaxEnvelopeBytes)
        {
            throw Fail($"{statementJson.Length} bytes exceed the limit of {DsseEnvelope.MaxEnvelopeBytes}");
        }
        var reader = new Utf8JsonReader(statementJson, new JsonReaderOptions { MaxDepth = 16 });
        try
        {
            return ReadStatement(ref reader);
        }
        catch (JsonException e)
        {
            throw Fail($"not valid JSON at line {(e.LineNumber ?? 0) + 1}, byte {(e.BytePositionInLine ?? 0) + 1}");
        }
    }

    private static List<ProvenanceFile> ReadStatement(ref Utf8JsonReader reader)
    {
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            throw Fail("expected a JSON object");
        }
        var seen = new HashSet<string>(StringComparer.Ordinal);
        List<ProvenanceFile>? subjects = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = reader.GetString()!;
            if (name is not ("_type" or "subject" or "predicateType" or "predicate"))
            {
                throw Fail($"unknown member '{(name.Length <= 64 ? name : name[..64] + "…")}'");
            }
            if (!seen.Add(name))
            {
                throw Fail($"member '{name}' appears twice");
            }
            reader.Read();
            switch (name)
            {
                case "_type":
                    Expect(ref reader, "_type", ProvenanceTypes.Statement);
                    break;
                case "predicateType":
                    Expect(ref reader, "predicateType", ProvenanceTypes.SlsaProvenance);
                    break;
                case "subject":
                    subjects = Subjects(ref reader);
                    break;
                default:
                    if (reader.TokenType != JsonTokenType.StartObject)
                    {
                        throw Fail("'predicate' must be an object");
                    }
                    reader.Skip();
                    break;
            }
        }
        if (reader.Read())
        {
            throw Fail("unexpected content after the statement");
        }
        foreach (var required in (string[])["_type", "predicateType", "predicate"])
        {
            if (!seen.Contains(required))
            {
                throw Fail($"'{required}' is missing");
            }
        }
        return subjects ?? throw Fail("'subject' is missing");
    }

    private static void Expect(ref Utf8JsonReader reader, string member, string value)
    {
        if (reader.TokenType != JsonTokenType.String || !reader.ValueTextEquals(value))
        {
            throw Fail($"'{member}' is not '{value}'");
        }
    }

    private static List<ProvenanceFile> Subjects(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw Fail("'subject' must be an array");
        }
        var list = new List<ProvenanceFile>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (list.Count == MaxSubjects)
            {
                throw Fail($"more than {MaxSubjects} subjects");
            }
            var subject = Subject(ref reader, list.Count + 1);
            if (!names.Add(subject.Name))
            {
                throw Fail($"subject {list.Count + 1}: {subject.Name} is listed twice");
            }
            list.Add(subject);
        }
        if (list.Count == 0)
        {
            throw Fail("'subject' is empty");
        }
        return list;
    }

    /// <summary><c>{"name": file name, "digest": {"sha256": hex}}</c>; nothing else, since nothing else is checked.</summary>
    private static ProvenanceFile Subject(ref Utf8JsonReader reader, int index)
    {
        var bad = Fail($"subject {index} is not {{\"name\": <file name>, \"digest\": {{\"sha256\": <64 lowercase hex digits>}}}}");
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw bad;
        }
        string? name = null;
        string? sha256 = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var member = reader.GetString();
            reader.Read();
            if (member == "name" && name is null && reader.TokenType == JsonTokenType.String)
            {
                name = reader.GetString()!;
            }
            else if (member == "digest" && sha256 is null && reader.TokenType == JsonTokenType.StartObject)
            {
                if (!reader.Read() || reader.TokenType != JsonTokenType.PropertyName || !reader.ValueTextEquals("sha256") ||
                    !reader.Read() || reader.TokenType != JsonTokenType.String)
                {
                    throw bad;
                }
                sha256 = reader.GetString()!;
                if (!reader.Read() || reader.TokenType != JsonTokenType.EndObject)
                {
                    throw bad;
                }
            }
            else
            {
                throw bad;
            }
        }
        if (name is null || sha256 is null || !AuditValueRules.IsArtifactName(name) || !AuditValueRules.IsLowerHex(sha256))
        {
            throw bad;
        }
        return new(name, sha256);
    }

    private static ProvenanceException Fail(string problem) => new($"statement: {problem}");
}
