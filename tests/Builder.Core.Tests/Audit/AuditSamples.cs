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
        BuildDeps = [new("debhelper-compat", "13"), new("libc6-dev", "2.36-9+deb12u4")],
        Request = Request,
        Signature = Signature,
    };

    public static AuditRecord End(long seq, string prev, long build = 42) => Start(seq, prev, build) with
    {
        Event = AuditEvent.BuildEnd,
        Result = AuditResult.Failed,
        FailedStage = "building",
        Artifacts = [new("hello_2.10-3.dsc", new string('c', 64)), new("hello_2.10-3_amd64.deb", new string('d', 64))],
        CompileJobs = new AuditCompileJobs(17, "sha256:" + new string('e', 64)),
    };

    /// <summary>A valid chain of <paramref name="count"/> records starting at seq 1, as observations in order.</summary>
    public static List<AuditObservation> Chain(int count)
    {
        var list = new List<AuditObservation>();
        var prev = AuditFields.Genesis;
        for (var seq = 1; seq <= count; seq++)
        {
            var record = seq % 2 == 1 ? Start(seq, prev, build: seq) : End(seq, prev, build: seq - 1);
            var text = AuditRecordFormat.Serialize(record);
            prev = AuditRecordFormat.Hash(text);
            list.Add(Observe(record, text, $"mail{seq}"));
        }
        return list;
    }

    public static AuditObservation Observe(AuditRecord record, string text, string source) =>
        new(source, record.Seq, record, AuditRecordFormat.Hash(text), AuditRecordFormat.Hash(text), null, null, $"audit.{record.Seq}@test");
}
