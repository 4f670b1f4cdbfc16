using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using Builder.Core.Audit;

namespace Builder.Core.Provenance;

/// <summary>
/// Writes a build's in-toto Statement v1 with a SLSA Provenance v1 predicate (README.md, "Provenance"). The bytes are
/// canonical: compact UTF-8 JSON, members in a fixed order, no optional member left out or added, so the same facts give
/// the same statement and the same envelope hash.
/// </summary>
public static class ProvenanceStatement
{
    private const string TimeFormat = "yyyy-MM-dd'T'HH:mm:ss'Z'";

    // Only what JSON requires is escaped: base64 '+' and '/' and non-ASCII names stay readable, and the escaping is fixed.
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, Indented = false };

    /// <summary>The statement's bytes; throws <see cref="ArgumentException"/> naming the fact that is invalid.</summary>
    public static byte[] ToJson(ProvenanceFacts facts)
    {
        ArgumentNullException.ThrowIfNull(facts);
        Check(facts);
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, WriterOptions))
        {
            w.WriteStartObject();
            w.WriteString("_type", ProvenanceTypes.Statement);
            w.WriteStartArray("subject");
            foreach (var s in facts.Subjects)
            {
                Descriptor(w, s.Name, s.Sha256);
            }
            w.WriteEndArray();
            w.WriteString("predicateType", ProvenanceTypes.SlsaProvenance);
            w.WriteStartObject("predicate");
            BuildDefinition(w, facts);
            RunDetails(w, facts);
            w.WriteEndObject();
            w.WriteEndObject();
        }
        return buffer.ToArray();
    }

    private static void BuildDefinition(Utf8JsonWriter w, ProvenanceFacts facts)
    {
        w.WriteStartObject("buildDefinition");
        w.WriteString("buildType", ProvenanceTypes.BuildType);
        w.WriteStartObject("externalParameters");
        var r = facts.Request;
        w.WriteString("pocket", r.Pocket);
        w.WriteString("package", r.Package);
        w.WriteString("commit", r.Commit);
        w.WriteString("requester", r.Requester);
        // Base64 as in the audit record: the exact bytes ssh-keygen -Y verify checks, compared to the record byte for byte.
        w.WriteString("request", Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(r.Request)));
        w.WriteString("signature", Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(r.Signature)));
        w.WriteEndObject();
        w.WriteStartObject("internalParameters");
        if (facts.CopyOf is { } copy)
        {
            w.WriteStartObject("copyOf");
            w.WriteNumber("build", copy.Build);
            w.WriteNumber("seq", copy.Seq);
            w.WriteEndObject();
        }
        else
        {
            w.WriteNull("copyOf");
        }
        w.WriteEndObject();
        w.WriteStartArray("resolvedDependencies");
        foreach (var f in facts.SourceFiles)
        {
            Descriptor(w, f.Name, f.Sha256, ("role", "source"));
        }
        foreach (var d in facts.BuildDeps)
        {
            Descriptor(w, d.Name, d.Sha256, ("role", "build-dep"), ("version", d.Version), ("origin", d.Origin));
        }
        if (facts.ImageSha256.Length > 0)
        {
            Descriptor(w, "vm-image", facts.ImageSha256, ("role", "vm-image"));
        }
        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static void RunDetails(Utf8JsonWriter w, ProvenanceFacts facts)
    {
        w.WriteStartObject("runDetails");
        w.WriteStartObject("builder");
        w.WriteString("id", ProvenanceTypes.BuilderId(facts.Host, facts.ImageSha256));
        w.WriteEndObject();
        w.WriteStartObject("metadata");
        w.WriteString("invocationId", ProvenanceTypes.InvocationId(facts.BuildId, facts.Attempt));
        w.WriteString("startedOn", facts.StartedOn.UtcDateTime.ToString(TimeFormat, CultureInfo.InvariantCulture));
        w.WriteString("finishedOn", facts.FinishedOn.UtcDateTime.ToString(TimeFormat, CultureInfo.InvariantCulture));
        w.WriteEndObject();
        w.WriteEndObject();
    }

    private static void Descriptor(Utf8JsonWriter w, string name, string sha256, params (string Key, string Value)[] annotations)
    {
        w.WriteStartObject();
        w.WriteString("name", name);
        w.WriteStartObject("digest");
        w.WriteString("sha256", sha256);
        w.WriteEndObject();
        if (annotations.Length > 0)
        {
            w.WriteStartObject("annotations");
            foreach (var (key, value) in annotations)
            {
                w.WriteString(key, value);
            }
            w.WriteEndObject();
        }
        w.WriteEndObject();
    }

    /// <summary>What a verifier relies on: file names and hashes it can match, an identity it can read.</summary>
    private static void Check(ProvenanceFacts facts)
    {
        if (facts.Subjects.Count is 0 or > ProvenanceSubjects.MaxSubjects)
        {
            throw new ArgumentException($"provenance of build {facts.BuildId}: {facts.Subjects.Count} subjects, expected 1 to {ProvenanceSubjects.MaxSubjects}", nameof(facts));
        }
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var s in facts.Subjects)
        {
            CheckFile(facts, "subject", s);
            if (!names.Add(s.Name))
            {
                throw new ArgumentException($"provenance of build {facts.BuildId}: subject {s.Name} is listed twice", nameof(facts));
            }
        }
        foreach (var s in facts.SourceFiles)
        {
            CheckFile(facts, "source file", s);
        }
        foreach (var d in facts.BuildDeps)
        {
            if (!AuditValueRules.IsDependencyName(d.Name) || !AuditValueRules.IsVersion(d.Version) ||
                !AuditValueRules.IsDependencyOrigin(d.Origin) || !AuditValueRules.IsLowerHex(d.Sha256))
            {
                throw new ArgumentException($"provenance of build {facts.BuildId}: build-dep {d.Name}={d.Version} needs a name, version, origin and 64-hex sha256", nameof(facts));
            }
        }
        if (!AuditValueRules.IsHost(facts.Host))
        {
            throw new ArgumentException($"provenance of build {facts.BuildId}: host '{facts.Host}' is not a host name", nameof(facts));
        }
        if (facts.ImageSha256.Length > 0 && !AuditValueRules.IsLowerHex(facts.ImageSha256))
        {
            throw new ArgumentException($"provenance of build {facts.BuildId}: the image sha256 is not 64 lowercase hex digits", nameof(facts));
        }
        if (facts.BuildId < 1 || facts.Attempt < 1)
        {
            throw new ArgumentException($"provenance of build {facts.BuildId}: build id and attempt must be at least 1", nameof(facts));
        }
    }

    private static void CheckFile(ProvenanceFacts facts, string what, ProvenanceFile file)
    {
        if (!AuditValueRules.IsArtifactName(file.Name) || !AuditValueRules.IsLowerHex(file.Sha256))
        {
            throw new ArgumentException($"provenance of build {facts.BuildId}: {what} '{file.Name}' needs a file name and a 64-hex sha256", nameof(facts));
        }
    }
}
