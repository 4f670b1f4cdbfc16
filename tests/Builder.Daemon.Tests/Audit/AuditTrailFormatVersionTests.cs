using System.Text;
using Builder.Daemon.Tests.Audit.Support;
using Builder.Core.Audit;
using Builder.Core.Builds;
using Builder.Daemon.Audit;
using Builder.Store.Builds;
using Builder.Tests.Common;
using Builder.Tests.Common.Audit;

namespace Builder.Daemon.Tests.Audit;

/// <summary>
/// An attempt is closed in the format version it was opened in: a build-start record written before the upgrade to
/// version 2 gets a version 1 build-end record, everything new is version 2. Real PostgreSQL and aiosmtpd.
/// </summary>
[Trait(Categories.Name, Categories.Integration)]
public sealed class AuditTrailFormatVersionTests(PostgresDatabase db) : IClassFixture<PostgresDatabase>
{
    private readonly string _dir = TestEnvironment.NewTempDirectory("audit-versions");

    private async Task<AuditTestKit> KitAsync()
    {
        var (host, port) = SmtpEndpoint.Require(SmtpEndpoint.Plain);
        return new AuditTestKit(db.DataSource, await SigningCertificate.CreateAsync(_dir), host, port);
    }

    /// <summary>What a daemon before version 2 wrote for this attempt: a version 1 build-start record.</summary>
    private static async Task<long> AppendV1StartAsync(AuditTestKit kit, BuildRecord build)
    {
        var stored = await kit.Records.AppendAsync(build.Id, AuditEvent.BuildStart, build.Attempts, (seq, prev) => new AuditRecord
        {
            FormatVersion = 1, Seq = seq, Prev = prev, Event = AuditEvent.BuildStart, Build = build.Id, Pocket = build.Pocket,
            Package = build.Package, Commit = build.CommitId ?? "", Version = build.Version ?? "", Requester = build.Requester,
            Key = build.KeyFingerprint, Acl = build.AclHash, Image = "sha256:" + new string('b', 64), Host = "builder0.test",
            Time = DateTimeOffset.UnixEpoch, BuildDeps = [new("debhelper-compat", "13"), new("gcc", "4:12.2.0-3")],
            Request = build.Request, Signature = build.Signature,
        }, CancellationToken.None);
        Assert.StartsWith("builder-audit 1\n", stored.Record, StringComparison.Ordinal);
        return stored.Seq;
    }

    private static async Task<(AuditRecord Record, string Text)> RecordAsync(AuditTestKit kit, long seq)
    {
        var text = (await kit.Records.GetAsync(seq, CancellationToken.None))!.Record;
        return (AuditRecordFormat.Parse(Encoding.ASCII.GetBytes(text)), text);
    }

    [Fact]
    public async Task An_interrupted_attempt_opened_in_v1_is_closed_by_a_v1_build_end_record()
    {
        var kit = await KitAsync();
        var build = await kit.AuditingBuildAsync(AuditTestKit.UniquePackage("v1-interrupted"));
        var startSeq = await AppendV1StartAsync(kit, build);

        var delivery = await kit.Trail.RecordInterruptedAsync(build.Id, build.Attempts, CancellationToken.None);

        Assert.NotNull(delivery);
        Assert.True(delivery.Accepted, delivery.LastError);
        var (end, text) = await RecordAsync(kit, delivery.Seq);
        Assert.StartsWith("builder-audit 1\n", text, StringComparison.Ordinal);
        Assert.DoesNotContain("\ncopy-of", text, StringComparison.Ordinal);
        Assert.Equal(1, end.FormatVersion);
        Assert.Equal((AuditEvent.BuildEnd, AuditResult.Failed, BuildStages.Interrupted), (end.Event, end.Result, end.FailedStage));
        Assert.Equal((await RecordAsync(kit, startSeq)).Record.BuildDeps, end.BuildDeps);
        Assert.Equal("builder1.test", end.Host);
    }

    [Fact]
    public async Task An_interrupted_attempt_opened_in_v4_is_closed_in_v4_with_its_origins_and_copy_source()
    {
        var kit = await KitAsync();
        var (source, sourceEnd) = await SucceededBuildAsync(kit);
        var copy = await kit.AuditingBuildAsync(AuditTestKit.UniquePackage("v4-interrupted"));
        var facts = AuditTestKit.Facts with { CopyOf = new AuditCopySource(source, sourceEnd) };
        var start = await kit.Trail.EnsureAuditedAsync(copy, facts, CancellationToken.None);
        Assert.True(start.Accepted, start.LastError);

        var delivery = await kit.Trail.RecordInterruptedAsync(copy.Id, copy.Attempts, CancellationToken.None);

        var (end, text) = await RecordAsync(kit, delivery!.Seq);
        Assert.StartsWith("builder-audit 4\n", text, StringComparison.Ordinal);
        Assert.Contains($"\ncopy-of {source} {sourceEnd}\n", text, StringComparison.Ordinal);
        Assert.Equal(new AuditCopySource(source, sourceEnd), end.CopyOf);
        Assert.Equal(facts.BuildDeps, end.BuildDeps);
        Assert.Equal(BuildStages.Interrupted, end.FailedStage);
    }

    [Fact]
    public async Task A_build_end_after_a_v1_build_start_is_written_in_v1_without_origins_or_copy_source()
    {
        var kit = await KitAsync();
        var build = await kit.AuditingBuildAsync(AuditTestKit.UniquePackage("v1-end"));
        var startSeq = await AppendV1StartAsync(kit, build);

        var delivery = await kit.Trail.RecordBuildEndAsync(build, AuditTestKit.Facts with { CopyOf = new AuditCopySource(1, startSeq) },
            new BuildEndFacts(AuditResult.Failed, BuildStages.Auditing, [], null), CancellationToken.None);
        Assert.True(await kit.Builds.TransitionAsync(build.Id, BuildState.Auditing, BuildState.Failed, BuildStages.Auditing, "cancelled by test", null, CancellationToken.None));

        Assert.True(delivery.Accepted, delivery.LastError);
        var (end, text) = await RecordAsync(kit, delivery.Seq);
        Assert.StartsWith("builder-audit 1\n", text, StringComparison.Ordinal);
        Assert.Contains("\nbuild-deps debhelper-compat=13 gcc=4:12.2.0-3\nrequest ", text, StringComparison.Ordinal);
        Assert.Null(end.CopyOf);
    }

    [Fact]
    public async Task A_success_opened_in_v2_is_closed_in_v2_without_the_provenance_v2_has_no_place_for()
    {
        var kit = await KitAsync();
        var build = await kit.AuditingBuildAsync(AuditTestKit.UniquePackage("v2-end"));
        var stored = await kit.Records.AppendAsync(build.Id, AuditEvent.BuildStart, build.Attempts, (seq, prev) => new AuditRecord
        {
            FormatVersion = 2, Seq = seq, Prev = prev, Event = AuditEvent.BuildStart, Build = build.Id, Pocket = build.Pocket,
            Package = build.Package, Commit = build.CommitId ?? "", Version = build.Version ?? "", Requester = build.Requester,
            Key = build.KeyFingerprint, Acl = build.AclHash, Image = "sha256:" + new string('b', 64), Host = "builder0.test",
            Time = DateTimeOffset.UnixEpoch, BuildDeps = AuditTestKit.Facts.BuildDeps, Request = build.Request, Signature = build.Signature,
        }, CancellationToken.None);
        Assert.StartsWith("builder-audit 2\n", stored.Record, StringComparison.Ordinal);

        var delivery = await kit.Trail.RecordBuildEndAsync(build, AuditTestKit.Facts,
            new BuildEndFacts(AuditResult.Succeeded, null, [new("hello_1.0-1_amd64.deb", new string('d', 64))], null) { Provenance = "sha256:" + new string('9', 64) },
            CancellationToken.None);

        var (end, text) = await RecordAsync(kit, delivery.Seq);
        Assert.StartsWith("builder-audit 2\n", text, StringComparison.Ordinal);
        Assert.DoesNotContain("\nprovenance", text, StringComparison.Ordinal);
        Assert.Equal((AuditResult.Succeeded, ""), (end.Result, end.Provenance));
        Assert.Equal(AuditTestKit.Facts.BuildDeps, end.BuildDeps);
    }

    [Fact]
    public async Task A_new_attempt_is_audited_in_v4_from_start_to_end()
    {
        var kit = await KitAsync();
        var (build, endSeq) = await SucceededBuildAsync(kit);

        var (end, text) = await RecordAsync(kit, endSeq);

        Assert.StartsWith("builder-audit 4\n", text, StringComparison.Ordinal);
        Assert.Equal(build, end.Build);
        Assert.Equal(AuditTestKit.Facts.BuildDeps, end.BuildDeps);
        Assert.Contains($"\nbuild-deps debhelper-compat=13 mirror {new string('1', 64)} gcc=4:12.2.0-3 pocket:dev {new string('2', 64)}\ncopy-of\n",
            text, StringComparison.Ordinal);
    }

    /// <summary>A build audited in the current version that succeeded: its id and the seq of its build-end record.</summary>
    private static async Task<(long Build, long EndSeq)> SucceededBuildAsync(AuditTestKit kit)
    {
        var build = await kit.AuditingBuildAsync(AuditTestKit.UniquePackage("v4-source"));
        var start = await kit.Trail.EnsureAuditedAsync(build, AuditTestKit.Facts, CancellationToken.None);
        Assert.True(start.Accepted, start.LastError);
        Assert.True(await kit.Builds.TransitionAsync(build.Id, BuildState.Auditing, BuildState.Building, null, null, null, CancellationToken.None));
        Assert.True(await kit.Builds.TransitionAsync(build.Id, BuildState.Building, BuildState.Publishing, null, null, null, CancellationToken.None));
        var end = await kit.Trail.RecordBuildEndAsync((await kit.Builds.GetAsync(build.Id, CancellationToken.None))!, AuditTestKit.Facts,
            new BuildEndFacts(AuditResult.Succeeded, null, [new("hello_1.0-1.dsc", new string('d', 64))], null), CancellationToken.None);
        // The success needs the attempt's build-end record (sql/0014).
        Assert.True(await kit.Builds.TransitionAsync(build.Id, BuildState.Publishing, BuildState.Succeeded, null, null, null, CancellationToken.None));
        Assert.True(end.Accepted, end.LastError);
        return (build.Id, end.Seq);
    }
}
