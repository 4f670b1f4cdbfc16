using Builder.Core.Audit;

namespace Builder.Core.Tests.Audit;

/// <summary>Valid records and small chains for the tests.</summary>
internal static class AuditSamples
{
    public const string Request = "builder-request 1\naction submit\npocket dev\npackage hello\nrequester alice\nnonce 0123456789abcdef0123456789abcdef\nissued 2026-11-22T17:30:00Z\n";

    public const string Signature = "-----BEGIN SSH SIGNATURE-----\nU1NIU0lHAAAAAQAAADMAAAALc3NoLWVkMjU1MTkAAAAg\n-----END SSH SIGNATURE-----\n";

    public static AuditRecord Start(long seq, string prev, long build = 42) => new()
    {
        Seq = seq,
        Prev = prev,
        Event = AuditEvent.BuildStart,
        Build = build,
        Pocket = "dev",
        Package = "hello",
        Commit = "9f1c2e0000000000000000000000000000000000",
        Version = "1:2.10-3~bpo12+1",
        Requester = "alice",
        Key = "SHA256:" + new string('A', 42) + "c",
        Acl = "sha256:" + new string('a', 64),
        Image = "sha256:" + new string('b', 64),
        Host = "builder1.example.org",
        Time = new DateTimeOffset(2026, 11, 22, 17, 30, 5, TimeSpan.Zero),
        BuildDeps =
        [
            new("debhelper-compat", "13", AuditDependencyOrigin.Mirror, DebSha256('1')),
            new("libc6-dev", "2.36-9+deb12u4", AuditDependencyOrigin.Pocket("dev"), DebSha256('2')),
        ],
        Request = Request,
        Signature = Signature,
    };

    /// <summary>A .deb's sha256 made of one repeated hex digit.</summary>
    public static string DebSha256(char digit) => new(digit, 64);

    /// <summary>A build-start record as version 1 wrote it: build-deps without origins and hashes, no copy-of.</summary>
    public static AuditRecord StartV1(long seq, string prev, long build = 42) => Start(seq, prev, build) with
    {
        FormatVersion = 1,
        BuildDeps = [new("debhelper-compat", "13"), new("libc6-dev", "2.36-9+deb12u4")],
    };

    public static AuditRecord EndV1(long seq, string prev, long build = 42) => End(seq, prev, build) with
    {
        FormatVersion = 1,
        BuildDeps = [new("debhelper-compat", "13"), new("libc6-dev", "2.36-9+deb12u4")],
    };

    /// <summary>The records as version 2 wrote them: no provenance line.</summary>
    public static AuditRecord StartV2(long seq, string prev, long build = 42) => Start(seq, prev, build) with { FormatVersion = 2 };

    public static AuditRecord EndV2(long seq, string prev, long build = 42) => End(seq, prev, build) with { FormatVersion = 2 };

    public static AuditRecord End(long seq, string prev, long build = 42) => Start(seq, prev, build) with
    {
        Event = AuditEvent.BuildEnd,
        Result = AuditResult.Failed,
        FailedStage = "building",
        Artifacts = [new("hello_2.10-3.dsc", new string('c', 64)), new("hello_2.10-3_amd64.deb", new string('d', 64))],
        CompileJobs = new AuditCompileJobs(17, "sha256:" + new string('e', 64)),
    };

    /// <summary>
    /// A valid chain of <paramref name="count"/> records starting at seq 1, as observations in order: builds
    /// 1, 3, 5, … each a start and an end; the first <paramref name="v1Records"/> records are version 1.
    /// </summary>
    public static List<AuditObservation> Chain(int count, int v1Records = 0)
    {
        var list = new List<AuditObservation>();
        var prev = AuditFields.Genesis;
        for (var seq = 1; seq <= count; seq++)
        {
            var record = (seq % 2 == 1, seq <= v1Records) switch
            {
                (true, false) => Start(seq, prev, build: seq),
                (false, false) => End(seq, prev, build: seq - 1),
                (true, true) => StartV1(seq, prev, build: seq),
                (false, true) => EndV1(seq, prev, build: seq - 1),
            };
            var text = AuditRecordFormat.Serialize(record);
            prev = AuditRecordFormat.Hash(text);
            list.Add(Observe(record, text, $"mail{seq}"));
        }
        return list;
    }

    public static AuditObservation Observe(AuditRecord record, string text, string source) =>
        new(source, record.Seq, record, AuditRecordFormat.Hash(text), AuditRecordFormat.Hash(text), null, null, $"audit.{record.Seq}@test");
}
