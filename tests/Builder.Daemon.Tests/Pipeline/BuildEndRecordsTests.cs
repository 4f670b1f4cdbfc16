using Builder.Core.Audit;
using Builder.Daemon.Pipeline.Stages;

namespace Builder.Daemon.Tests.Pipeline;

/// <summary>Whether a build-end record can be written is known before publishing, whatever seq it will get.</summary>
public sealed class BuildEndRecordsTests
{
    private static Func<long, string, AuditRecord> End(int artifacts, int nameLength) => (seq, prev) => new AuditRecord
    {
        Seq = seq,
        Prev = prev,
        Event = AuditEvent.BuildEnd,
        Build = 42,
        Pocket = "dev",
        Package = "flood",
        Requester = "mallory",
        Commit = "9f1c2e0000000000000000000000000000000000",
        Version = "1.0",
        Key = "SHA256:" + new string('A', 42) + "c",
        Acl = "sha256:" + new string('a', 64),
        Image = "sha256:" + new string('b', 64),
        Host = "builder1.example.org",
        Time = new DateTimeOffset(2026, 12, 6, 22, 0, 0, TimeSpan.Zero),
        Request = "builder-request 1\naction submit\npocket dev\npackage flood\nrequester mallory\nnonce 0123456789abcdef0123456789abcdef\nissued 2026-12-06T21:30:00Z\n",
        Signature = "-----BEGIN SSH SIGNATURE-----\nU1NIU0lHAAAAAQAAADMAAAALc3NoLWVkMjU1MTkAAAAg\n-----END SSH SIGNATURE-----\n",
        Result = AuditResult.Succeeded,
        Artifacts = [.. Enumerable.Range(0, artifacts).Select(i => new AuditArtifact($"{i:D4}{new string('x', nameLength - 14)}.buildinfo", new string('f', 64)))],
    };

    [Fact]
    public void An_ordinary_output_fits()
    {
        Assert.Null(BuildEndRecords.Problem(End(artifacts: 12, nameLength: 40)));
    }

    [Fact]
    public void A_thousand_artifacts_with_200_character_names_are_over_the_record_size()
    {
        var problem = BuildEndRecords.Problem(End(artifacts: 1020, nameLength: 200));

        Assert.NotNull(problem);
        Assert.Contains($"exceed the limit of {AuditRecordFormat.MaxRecordBytes}", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void More_artifacts_than_a_record_lists_are_refused_naming_the_count()
    {
        var problem = BuildEndRecords.Problem(End(artifacts: 1030, nameLength: 20));

        Assert.NotNull(problem);
        Assert.Contains($"1030 artifacts exceed the limit of {AuditValueRules.MaxArtifacts}", problem, StringComparison.Ordinal);
    }
}
