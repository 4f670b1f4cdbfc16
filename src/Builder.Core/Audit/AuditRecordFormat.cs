using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Builder.Core.Audit;

/// <summary>
/// The canonical text of an audit record: ASCII, LF line ends, <c>builder-audit N</c> then one <c>key value</c>
/// line per field in the fixed order of <see cref="AuditFields"/>; an empty value is written as the bare key.
/// Version 2 adds <c>copy-of</c> and an origin and sha256 to every build-dep; version 4 (written now) adds
/// <c>provenance</c>; version 3 is the checkpoint record. Versions 1 and 2, written before, are still read, and written
/// only to continue an attempt whose build-start record is in that version.
/// Parsing is strict: exactly these lines, each value valid, and the text must re-serialize to the same bytes,
/// so one record has exactly one text and one hash.
/// </summary>
public static partial class AuditRecordFormat
{
    public const int FirstVersion = 1;

    /// <summary>The version new build records are written in.</summary>
    public const int CurrentVersion = 4;

    /// <summary>
    /// The version of checkpoint records, and only of them: a reader of versions 1 and 2 may rely on every record
    /// naming a build, so a record without one gets a version such a reader refuses as unknown.
    /// </summary>
    public const int CheckpointVersion = 3;

    /// <summary>The first version with the <c>provenance</c> field.</summary>
    public const int ProvenanceVersion = 4;

    /// <summary>The highest version this reader knows.</summary>
    public const int LatestVersion = ProvenanceVersion;

    /// <summary>
    /// Upper bound on a record's text. Request and signature take at most ~27 KiB; a version 2 build-dep is ~100
    /// bytes (name=version, origin, 64 hex digits), so this leaves room for a package with a couple of thousand.
    /// </summary>
    public const int MaxRecordBytes = 256 * 1024;

    /// <summary>The largest number a record's numeric fields (seq, build, counts) may hold: 18 decimal digits.</summary>
    public const long MaxNumber = 999_999_999_999_999_999;

    private const string TimeFormat = "yyyy-MM-dd'T'HH:mm:ss'Z'";

    /// <summary>The record's canonical text. Throws <see cref="ArgumentException"/> naming the field when a value is invalid.</summary>
    public static string Serialize(AuditRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        try
        {
            CheckVersionFields(record);
            var text = Write(record);
            Parse(Encoding.ASCII.GetBytes(text));
            return text;
        }
        catch (AuditRecordFormatException e)
        {
            var what = record.Event == AuditEvent.Checkpoint ? $"checkpoint record seq {record.Seq}" : $"audit record for build {record.Build}";
            throw new ArgumentException($"cannot write {what}: {e.Message}", nameof(record), e);
        }
    }

    /// <summary><c>sha256:&lt;hex&gt;</c> of the record's bytes: the value the next record's <c>prev</c> carries.</summary>
    public static string Hash(ReadOnlySpan<byte> recordBytes) =>
        "sha256:" + Convert.ToHexStringLower(SHA256.HashData(recordBytes));

    public static string Hash(string recordText) => Hash(Encoding.ASCII.GetBytes(recordText));

    /// <summary>Parses a record; throws <see cref="AuditRecordFormatException"/> naming line and field.</summary>
    public static AuditRecord Parse(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length > MaxRecordBytes)
        {
            throw new AuditRecordFormatException(0, "record", $"{bytes.Length} bytes exceed the limit of {MaxRecordBytes}");
        }
        if (bytes.Length == 0 || bytes[^1] != (byte)'\n')
        {
            throw new AuditRecordFormatException(0, "record", "must end with a line feed");
        }
        var line = 1;
        foreach (var b in bytes)
        {
            if (b == (byte)'\n')
            {
                line++;
            }
            else if (b is < 0x20 or > 0x7e)
            {
                throw new AuditRecordFormatException(line, "record", $"byte 0x{b:x2} is not printable ASCII");
            }
        }
        var text = Encoding.ASCII.GetString(bytes);
        var record = new Reader(text.AsSpan(0, text.Length - 1).ToString().Split('\n')).Read();
        var again = Write(record);
        if (!string.Equals(again, text, StringComparison.Ordinal))
        {
            throw new AuditRecordFormatException(FirstDifferentLine(text, again), "record", "not in canonical form");
        }
        return record;
    }

    public static bool TryParse(ReadOnlySpan<byte> bytes, out AuditRecord? record, out string? error)
    {
        try
        {
            record = Parse(bytes);
            error = null;
            return true;
        }
        catch (AuditRecordFormatException e)
        {
            record = null;
            error = e.Message;
            return false;
        }
    }

    /// <summary>
    /// What the text alone cannot show once written: a version 1 record has nowhere to put copy-of, origins and
    /// hashes (they would be dropped silently), and a version 2 entry without them has no valid text at all.
    /// </summary>
    private static void CheckVersionFields(AuditRecord r)
    {
        if (r.FormatVersion is < FirstVersion or > LatestVersion)
        {
            throw new AuditRecordFormatException(1, "magic", UnsupportedVersion(r.FormatVersion));
        }
        if ((r.Event == AuditEvent.Checkpoint) != (r.FormatVersion == CheckpointVersion))
        {
            throw new AuditRecordFormatException(4, AuditFields.Event, CheckpointVersionRule);
        }
        if (r.Event == AuditEvent.Checkpoint)
        {
            CheckNoBuildFields(r);
            return;
        }
        var depsLine = LineOf(AuditFields.BuildDeps, r.FormatVersion);
        for (var i = 0; i < r.BuildDeps.Count; i++)
        {
            var d = r.BuildDeps[i];
            if (r.FormatVersion == 1 && (d.Origin is not null || d.Sha256 is not null))
            {
                throw new AuditRecordFormatException(depsLine, AuditFields.BuildDeps,
                    $"entry {i + 1} has an origin or sha256, which builder-audit 1 records do not carry");
            }
            if (r.FormatVersion >= 2 && (d.Origin is null || d.Sha256 is null))
            {
                throw new AuditRecordFormatException(depsLine, AuditFields.BuildDeps,
                    $"entry {i + 1} has no {(d.Origin is null ? "origin" : "sha256")}; builder-audit {r.FormatVersion} requires both for every entry");
            }
        }
        if (r.FormatVersion == 1 && r.CopyOf is not null)
        {
            throw new AuditRecordFormatException(LineOf(AuditFields.CopyOf, CurrentVersion), AuditFields.CopyOf, "is not a field of builder-audit 1 records");
        }
        if (r.FormatVersion < ProvenanceVersion && r.Provenance.Length > 0)
        {
            throw new AuditRecordFormatException(LineOf(AuditFields.Provenance, CurrentVersion), AuditFields.Provenance,
                $"is not a field of builder-audit {r.FormatVersion} records");
        }
    }

    private const string CheckpointVersionRule = "checkpoint records are builder-audit 3, build records builder-audit 1, 2 or 4";

    /// <summary>A checkpoint has no build: a build value set on one would be dropped from its text silently.</summary>
    private static void CheckNoBuildFields(AuditRecord r)
    {
        var set = new (string Field, bool IsSet)[]
        {
            (AuditFields.Build, r.Build != 0), (AuditFields.Pocket, r.Pocket.Length > 0), (AuditFields.Package, r.Package.Length > 0),
            (AuditFields.Commit, r.Commit.Length > 0), (AuditFields.Version, r.Version.Length > 0), (AuditFields.Requester, r.Requester.Length > 0),
            (AuditFields.Key, r.Key.Length > 0), (AuditFields.Acl, r.Acl.Length > 0), (AuditFields.Image, r.Image.Length > 0),
            (AuditFields.BuildDeps, r.BuildDeps.Count > 0), (AuditFields.CopyOf, r.CopyOf is not null), (AuditFields.Request, r.Request.Length > 0),
            (AuditFields.Signature, r.Signature.Length > 0), (AuditFields.Provenance, r.Provenance.Length > 0), (AuditFields.Result, r.Result is not null),
            (AuditFields.FailedStage, r.FailedStage.Length > 0), (AuditFields.Artifacts, r.Artifacts.Count > 0),
            (AuditFields.CompileJobs, r.CompileJobs is not null),
        };
        foreach (var (field, isSet) in set)
        {
            if (isSet)
            {
                throw new AuditRecordFormatException(0, field, NotACheckpointField);
            }
        }
    }

    private const string NotACheckpointField = "is not a field of checkpoint records";

    private static string UnsupportedVersion(long version) =>
        $"format version {version} is not supported (known: {string.Join(", ", Enumerable.Range(FirstVersion, LatestVersion - FirstVersion + 1))})";

    /// <summary>The 1-based line of a common field in a record of <paramref name="formatVersion"/> (the magic is line 1).</summary>
    private static int LineOf(string field, int formatVersion)
    {
        var fields = AuditFields.CommonFor(formatVersion);
        for (var i = 0; i < fields.Count; i++)
        {
            if (fields[i] == field)
            {
                return i + 2;
            }
        }
        throw new ArgumentOutOfRangeException(nameof(field), field, null);
    }

    private static string Write(AuditRecord r)
    {
        var sb = new StringBuilder(1024 + (r.Request.Length * 2) + (r.Signature.Length * 2) + (r.BuildDeps.Count * 112));
        sb.Append(AuditFields.Magic(r.FormatVersion)).Append('\n');
        Line(sb, AuditFields.Seq, r.Seq.ToString(CultureInfo.InvariantCulture));
        Line(sb, AuditFields.Prev, r.Prev);
        Line(sb, AuditFields.Event, AuditFields.EventName(r.Event));
        if (r.Event == AuditEvent.Checkpoint)
        {
            Line(sb, AuditFields.Host, r.Host);
            Line(sb, AuditFields.Time, r.Time.UtcDateTime.ToString(TimeFormat, CultureInfo.InvariantCulture));
            return sb.ToString();
        }
        Line(sb, AuditFields.Build, r.Build.ToString(CultureInfo.InvariantCulture));
        Line(sb, AuditFields.Pocket, r.Pocket);
        Line(sb, AuditFields.Package, r.Package);
        Line(sb, AuditFields.Commit, r.Commit);
        Line(sb, AuditFields.Version, r.Version);
        Line(sb, AuditFields.Requester, r.Requester);
        Line(sb, AuditFields.Key, r.Key);
        Line(sb, AuditFields.Acl, r.Acl);
        Line(sb, AuditFields.Image, r.Image);
        Line(sb, AuditFields.Host, r.Host);
        Line(sb, AuditFields.Time, r.Time.UtcDateTime.ToString(TimeFormat, CultureInfo.InvariantCulture));
        Line(sb, AuditFields.BuildDeps, string.Join(' ', r.BuildDeps.Select(d =>
            r.FormatVersion == 1 ? $"{d.Name}={d.Version}" : $"{d.Name}={d.Version} {d.Origin} {d.Sha256}")));
        if (r.FormatVersion >= 2)
        {
            Line(sb, AuditFields.CopyOf, r.CopyOf is { } c ? string.Create(CultureInfo.InvariantCulture, $"{c.Build} {c.Seq}") : "");
        }
        Line(sb, AuditFields.Request, Convert.ToBase64String(Encoding.UTF8.GetBytes(r.Request)));
        Line(sb, AuditFields.Signature, Convert.ToBase64String(Encoding.UTF8.GetBytes(r.Signature)));
        if (r.FormatVersion >= ProvenanceVersion)
        {
            Line(sb, AuditFields.Provenance, r.Provenance);
        }
        if (r.Event == AuditEvent.BuildEnd)
        {
            Line(sb, AuditFields.Result, r.Result is { } result ? AuditFields.ResultName(result) : "");
            Line(sb, AuditFields.FailedStage, r.FailedStage);
            Line(sb, AuditFields.Artifacts, string.Join(' ', r.Artifacts.Select(a => $"{a.Name} {a.Sha256}")));
            Line(sb, AuditFields.CompileJobs, r.CompileJobs is { } j ? $"{j.Count.ToString(CultureInfo.InvariantCulture)} {j.Digest}" : "");
        }
        return sb.ToString();
    }

    private static void Line(StringBuilder sb, string key, string value)
    {
        sb.Append(key);
        if (value.Length > 0)
        {
            sb.Append(' ').Append(value);
        }
        sb.Append('\n');
    }

    private static int FirstDifferentLine(string a, string b)
    {
        var line = 1;
        for (var i = 0; i < Math.Min(a.Length, b.Length); i++)
        {
            if (a[i] != b[i])
            {
                return line;
            }
            if (a[i] == '\n')
            {
                line++;
            }
        }
        return line;
    }
}
