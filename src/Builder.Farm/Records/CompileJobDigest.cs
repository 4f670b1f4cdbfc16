using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;

namespace Builder.Farm.Records;

/// <summary>
/// The per-build digest: <c>sha256:</c> + hex SHA-256 over the records in <see cref="CompileJobRecord.Seq"/> order,
/// each as one canonical JSON line (fixed member order, UTF-8, '\n'-terminated). Anyone holding the rows can recompute it.
/// </summary>
internal sealed class CompileJobDigest : IDisposable
{
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

    public int Count { get; private set; }

    public void Add(CompileJobRecord record)
    {
        _hash.AppendData(Line(record));
        Count++;
    }

    /// <summary>The digest so far (does not end the computation).</summary>
    public string Current() => "sha256:" + Convert.ToHexStringLower(_hash.GetCurrentHash());

    public static string Of(IEnumerable<CompileJobRecord> ordered)
    {
        using var digest = new CompileJobDigest();
        foreach (var r in ordered)
        {
            digest.Add(r);
        }
        return digest.Current();
    }

    /// <summary>The canonical line of one record, '\n' included.</summary>
    public static byte[] Line(CompileJobRecord r)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = false, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            w.WriteNumber("build", r.BuildId);
            w.WriteNumber("seq", r.Seq);
            w.WriteString("started", r.StartedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
            w.WriteNumber("ms", r.DurationMs);
            Nullable(w, "farm_ms", r.FarmMs);
            w.WriteString("outcome", r.Outcome);
            w.WriteString("compiler", r.Compiler);
            w.WriteStartArray("argv");
            foreach (var a in r.Argv)
            {
                w.WriteStringValue(a);
            }
            w.WriteEndArray();
            w.WriteString("input_sha256", r.InputSha256);
            w.WriteString("output_sha256", r.OutputSha256);
            w.WriteString("host", r.Host);
            w.WriteNumber("attempts", r.Attempts);
            Nullable(w, "status", r.Status is { } s ? (long)s : null);
            w.WriteString("reason", r.Reason);
            w.WriteEndObject();
        }
        buffer.WriteByte((byte)'\n');
        return buffer.ToArray();
    }

    public void Dispose() => _hash.Dispose();

    private static void Nullable(Utf8JsonWriter w, string name, long? value)
    {
        if (value is { } v)
        {
            w.WriteNumber(name, v);
        }
        else
        {
            w.WriteNull(name);
        }
    }
}
