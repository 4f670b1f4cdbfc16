using Builder.Daemon.Tests.Audit.Support;
using Builder.Core.Builds;
using Builder.Daemon.Audit;
using Builder.Tests.Common;
using Builder.Tests.Common.Audit;
using Npgsql;

namespace Builder.Daemon.Tests.Audit;

/// <summary>Servers that refuse, hang or answer 4xx/5xx: the build stays in auditing, nothing starts, retries show in build_events.</summary>
[Trait(Categories.Name, Categories.Integration)]
public sealed class AuditTrailFaultTests : OwnDatabase
{
    [Fact]
    public async Task Refused_connections_are_retried_with_back_off_and_the_mail_arrives_when_the_server_comes_back()
    {
        var port = TestPorts.Unused();
        var time = AuditTestKit.FakeNow();
        var kit = new AuditTestKit(Db.DataSource, await SigningCertificate.CreateAsync(Dir), "127.0.0.1", port, time: time);
        var build = await kit.AuditingBuildAsync(AuditTestKit.UniquePackage("refused"));

        var first = await kit.Trail.EnsureAuditedAsync(build, AuditTestKit.Facts, CancellationToken.None);
        Assert.Equal(AuditDeliveryState.Pending, first.State);
        Assert.Equal($"cannot connect to 127.0.0.1:{port}: ConnectionRefused", first.LastError);
        // RetryBase 30 s, jitter fixed at half of 10 s.
        Assert.Equal(time.GetUtcNow() + TimeSpan.FromSeconds(35), first.NextAttemptAt);
        await AssertCannotStartAsync(kit, build.Id);

        // Not due yet: nothing is tried.
        time.Advance(TimeSpan.FromSeconds(34));
        Assert.Empty(await kit.Trail.RetryDueAsync(CancellationToken.None));
        Assert.Equal(1, (await kit.Records.GetAsync(first.Seq, CancellationToken.None))!.Attempts);

        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Empty(await kit.Trail.RetryDueAsync(CancellationToken.None));
        var second = (await kit.Records.GetAsync(first.Seq, CancellationToken.None))!;
        Assert.Equal(2, second.Attempts);
        // The second wait doubles: 60 s + 5 s.
        Assert.Equal(time.GetUtcNow() + TimeSpan.FromSeconds(65), second.NextAttemptAt);
        await AssertCannotStartAsync(kit, build.Id);

        await using var server = await AiosmtpdProcess.StartAsync(Path.Combine(Dir, "Maildir"), port);
        time.Advance(TimeSpan.FromSeconds(65));
        var accepted = Assert.Single(await kit.Trail.RetryDueAsync(CancellationToken.None));
        Assert.Equal(first.Seq, accepted.Seq);
        Assert.NotNull(Maildir.FileOf(server.Maildir, accepted.MessageId!));
        Assert.True(await kit.Builds.TransitionAsync(build.Id, BuildState.Auditing, BuildState.Building, null, null, null, CancellationToken.None));

        var notes = (await kit.EventsAsync(build.Id)).Where(e => e.FromState == "auditing" && e.ToState == "auditing").Select(e => e.Message!).ToList();
        Assert.Equal(3, notes.Count);
        Assert.StartsWith($"audit delivery of seq {first.Seq} (build-start) failed, attempt 1 (transient): cannot connect", notes[0], StringComparison.Ordinal);
        Assert.StartsWith($"audit delivery of seq {first.Seq} (build-start) failed, attempt 2 (transient): cannot connect", notes[1], StringComparison.Ordinal);
        Assert.Equal($"audit record seq {first.Seq} (build-start) accepted for 2 recipient(s) as <{accepted.MessageId}>", notes[2]);
    }

    [Fact]
    public async Task A_server_that_accepts_TCP_and_never_answers_is_a_transient_timeout()
    {
        await using var server = FaultSmtpServer.Silent();
        var kit = new AuditTestKit(Db.DataSource, await SigningCertificate.CreateAsync(Dir), "127.0.0.1", server.Port, timeout: TimeSpan.FromSeconds(1));
        var build = await kit.AuditingBuildAsync(AuditTestKit.UniquePackage("silent"));

        var delivery = await kit.Trail.EnsureAuditedAsync(build, AuditTestKit.Facts, CancellationToken.None);

        Assert.Equal(AuditDeliveryState.Pending, delivery.State);
        Assert.Equal($"127.0.0.1:{server.Port} did not answer within 1 s", delivery.LastError);
        Assert.Equal(1, server.Connections);
        await AssertCannotStartAsync(kit, build.Id);
        Assert.Contains(await kit.EventsAsync(build.Id), e => e.Message is { } m && m.Contains("attempt 1 (transient): 127.0.0.1", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_4xx_answer_is_transient()
    {
        await using var server = FaultSmtpServer.Refusing("audit-b@", "451 4.3.0 try again later");
        var kit = new AuditTestKit(Db.DataSource, await SigningCertificate.CreateAsync(Dir), "127.0.0.1", server.Port);
        var build = await kit.AuditingBuildAsync(AuditTestKit.UniquePackage("busy"));

        var delivery = await kit.Trail.EnsureAuditedAsync(build, AuditTestKit.Facts, CancellationToken.None);

        Assert.Equal(AuditDeliveryState.Pending, delivery.State);
        Assert.StartsWith($"127.0.0.1:{server.Port} answered 451 for audit-b@offsite.test", delivery.LastError, StringComparison.Ordinal);
        Assert.Empty(server.Accepted);
        await AssertCannotStartAsync(kit, build.Id);
    }

    [Fact]
    public async Task A_5xx_answer_holds_the_build_and_alerts_the_admin()
    {
        await using var server = FaultSmtpServer.Refusing("audit-b@", "550 5.1.1 mailbox unavailable");
        var time = AuditTestKit.FakeNow();
        var kit = new AuditTestKit(Db.DataSource, await SigningCertificate.CreateAsync(Dir), "127.0.0.1", server.Port, time: time);
        var build = await kit.AuditingBuildAsync(AuditTestKit.UniquePackage("held"));

        var delivery = await kit.Trail.EnsureAuditedAsync(build, AuditTestKit.Facts, CancellationToken.None);

        Assert.Equal(AuditDeliveryState.Held, delivery.State);
        Assert.StartsWith($"127.0.0.1:{server.Port} answered 550 for audit-b@offsite.test", delivery.LastError, StringComparison.Ordinal);
        // Audit-a alone is not enough: the mail counts only when every recipient accepted it. The one mail accepted is the alert.
        var alert = Assert.Single(server.Accepted);
        Assert.Contains($"Subject: [builder audit] HELD: seq {delivery.Seq} for build {build.Id} was refused", alert, StringComparison.Ordinal);
        Assert.Contains("To: admin@builder.test", alert, StringComparison.Ordinal);
        await AssertCannotStartAsync(kit, build.Id);
        var notes = (await kit.EventsAsync(build.Id)).Select(e => e.Message).ToList();
        Assert.Contains(notes, m => m is not null && m.StartsWith($"audit delivery of seq {delivery.Seq} (build-start) failed permanently, attempt 1", StringComparison.Ordinal));
        Assert.Contains("alert sent to admin@builder.test", notes);

        // Held means no automatic retries, however long we wait.
        var connections = server.Connections;
        time.Advance(TimeSpan.FromHours(2));
        Assert.Empty(await kit.Trail.RetryDueAsync(CancellationToken.None));
        Assert.Equal(connections, server.Connections);
        Assert.True(await kit.Records.ReleaseAsync(delivery.Seq, time.GetUtcNow(), CancellationToken.None));
    }

    [Fact]
    public async Task A_later_build_waits_for_an_earlier_undelivered_record_and_both_leave_in_seq_order()
    {
        var port = TestPorts.Unused();
        var time = AuditTestKit.FakeNow();
        var kit = new AuditTestKit(Db.DataSource, await SigningCertificate.CreateAsync(Dir), "127.0.0.1", port, time: time);
        var a = await kit.AuditingBuildAsync(AuditTestKit.UniquePackage("first"));
        var b = await kit.AuditingBuildAsync(AuditTestKit.UniquePackage("second"));
        var da = await kit.Trail.EnsureAuditedAsync(a, AuditTestKit.Facts, CancellationToken.None);
        Assert.Equal(AuditDeliveryState.Pending, da.State);

        await using var server = await AiosmtpdProcess.StartAsync(Path.Combine(Dir, "Maildir"), port);
        var db = await kit.Trail.EnsureAuditedAsync(b, AuditTestKit.Facts, CancellationToken.None);

        // B's call delivered A's record first, then B's.
        Assert.True(db.Accepted);
        Assert.True((await kit.Records.GetAsync(da.Seq, CancellationToken.None))!.Accepted);
        var files = Maildir.Files(server.Maildir).OrderBy(Maildir.StoredAt).ToList();
        Assert.Equal(2, files.Count);
        Assert.Equal(da.Seq.ToString(System.Globalization.CultureInfo.InvariantCulture), Maildir.Load(files[0]).Headers["X-Builder-Audit-Seq"]);
    }

    [Fact]
    public async Task A_signing_key_that_cannot_be_read_holds_the_build_and_alerts_unsigned()
    {
        await using var server = FaultSmtpServer.Refusing("nobody@", "550 unused");
        var certificate = await SigningCertificate.CreateAsync(Dir);
        await File.WriteAllTextAsync(certificate.KeyFile, "not a key\n");
        var kit = new AuditTestKit(Db.DataSource, certificate, "127.0.0.1", server.Port);
        var build = await kit.AuditingBuildAsync(AuditTestKit.UniquePackage("nokey"));

        var delivery = await kit.Trail.EnsureAuditedAsync(build, AuditTestKit.Facts, CancellationToken.None);

        Assert.Equal(AuditDeliveryState.Held, delivery.State);
        Assert.StartsWith("cannot sign the audit mail with Audit:SigningCertificateFile/SigningKeyFile: ", delivery.LastError, StringComparison.Ordinal);
        var alert = Assert.Single(server.Accepted);
        Assert.Contains("HELD: seq", alert, StringComparison.Ordinal);
        await AssertCannotStartAsync(kit, build.Id);
    }

    private static async Task AssertCannotStartAsync(AuditTestKit kit, long build)
    {
        var ex = await Assert.ThrowsAsync<PostgresException>(() =>
            kit.Builds.TransitionAsync(build, BuildState.Auditing, BuildState.Building, null, null, null, CancellationToken.None));
        Assert.Equal("builds_audited_before_start", ex.ConstraintName);
        Assert.Equal(BuildState.Auditing, (await kit.Builds.GetAsync(build, CancellationToken.None))!.State);
    }
}
