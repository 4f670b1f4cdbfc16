using System.Text;
using Builder.Audit.Options;
using Builder.Daemon.Tests.Audit.Support;
using Builder.Core.Audit;
using Builder.Core.Builds;
using Builder.Daemon.Audit;
using Builder.Store.Builds;
using Builder.Tests.Common;
using Builder.Tests.Common.Audit;
using MimeKit;
using MimeKit.Cryptography;

namespace Builder.Daemon.Tests.Audit;

/// <summary>Delivery to the real aiosmtpd servers ops/test starts (plain, STARTTLS, implicit TLS).</summary>
[Trait(Categories.Name, Categories.Integration)]
public sealed class AuditTrailDeliveryTests(PostgresDatabase db) : IClassFixture<PostgresDatabase>
{
    private readonly string _dir = TestEnvironment.NewTempDirectory("audit-delivery");

    [Theory]
    [InlineData(SmtpEndpoint.Plain, SmtpEndpoint.PlainMaildir, SmtpTlsMode.None)]
    [InlineData(SmtpEndpoint.StartTls, SmtpEndpoint.StartTlsMaildir, SmtpTlsMode.StartTls)]
    [InlineData(SmtpEndpoint.Implicit, SmtpEndpoint.ImplicitMaildir, SmtpTlsMode.Implicit)]
    public async Task Build_start_record_is_accepted_for_every_recipient_and_its_Message_ID_stored(string endpoint, string maildirVariable, SmtpTlsMode tls)
    {
        var (host, port) = SmtpEndpoint.Require(endpoint);
        var maildir = TestEnvironment.Require(maildirVariable);
        var kit = new AuditTestKit(db.DataSource, await SigningCertificate.CreateAsync(_dir), host, port, tls);
        var build = await kit.AuditingBuildAsync(AuditTestKit.UniquePackage("deliver"));

        var delivery = await kit.Trail.EnsureAuditedAsync(build, AuditTestKit.Facts, CancellationToken.None);

        Assert.True(delivery.State == AuditDeliveryState.Accepted, $"{delivery.State}: {delivery.LastError}");
        var stored = (await kit.Records.GetAsync(delivery.Seq, CancellationToken.None))!;
        Assert.Equal(delivery.MessageId, stored.MessageId);
        var mail = Maildir.Load(Maildir.FileOf(maildir, stored.MessageId!));
        // aiosmtpd records the envelope recipients it accepted.
        Assert.Equal("audit-a@offsite.test, audit-b@offsite.test", mail.Headers["X-RcptTo"]);
        var signed = Assert.IsType<MultipartSigned>(mail.Body);
        var part = Assert.IsType<TextPart>(signed[0]);
        using var content = new MemoryStream();
        await part.Content!.DecodeToAsync(content);
        Assert.Equal(stored.Record, Encoding.ASCII.GetString(content.ToArray()));
        var record = AuditRecordFormat.Parse(content.ToArray());
        Assert.Equal(build.Id, record.Build);
        Assert.Equal(build.Request, record.Request);
        Assert.Equal(AuditEvent.BuildStart, record.Event);
        Assert.Equal("builder1.test", record.Host);

        Assert.True(await kit.Builds.TransitionAsync(build.Id, BuildState.Auditing, BuildState.Building, null, null, null, CancellationToken.None));
    }

    [Fact]
    public async Task The_delivered_mail_verifies_with_openssl_smime_and_the_configured_certificate()
    {
        var (host, port) = SmtpEndpoint.Require(SmtpEndpoint.Plain);
        var maildir = TestEnvironment.Require(SmtpEndpoint.PlainMaildir);
        var certificate = await SigningCertificate.CreateAsync(_dir);
        var kit = new AuditTestKit(db.DataSource, certificate, host, port);
        var build = await kit.AuditingBuildAsync(AuditTestKit.UniquePackage("openssl"));
        var delivery = await kit.Trail.EnsureAuditedAsync(build, AuditTestKit.Facts, CancellationToken.None);
        var file = Maildir.FileOf(maildir, delivery.MessageId!);

        var ok = await TestProcess.RunAsync("openssl", ["smime", "-verify", "-in", file, "-CAfile", certificate.CertificateFile, "-purpose", "smimesign"]);
        Assert.True(ok.ExitCode == 0, ok.ToString());
        Assert.Contains("Verification successful", ok.Error, StringComparison.Ordinal);
        Assert.Contains($"filename=audit-{delivery.Seq}.txt", ok.Output, StringComparison.Ordinal);

        // Another certificate does not vouch for it.
        var other = await SigningCertificate.CreateAsync(_dir, "other");
        var refused = await TestProcess.RunAsync("openssl", ["smime", "-verify", "-in", file, "-CAfile", other.CertificateFile, "-purpose", "smimesign"]);
        Assert.NotEqual(0, refused.ExitCode);
    }

    [Fact]
    public async Task A_second_call_for_the_same_attempt_reuses_the_accepted_record()
    {
        var (host, port) = SmtpEndpoint.Require(SmtpEndpoint.Plain);
        var kit = new AuditTestKit(db.DataSource, await SigningCertificate.CreateAsync(_dir), host, port);
        var build = await kit.AuditingBuildAsync(AuditTestKit.UniquePackage("twice"));
        var first = await kit.Trail.EnsureAuditedAsync(build, AuditTestKit.Facts, CancellationToken.None);
        var second = await kit.Trail.EnsureAuditedAsync(build, AuditTestKit.Facts, CancellationToken.None);
        Assert.Equal(first, second);
    }

    [Fact]
    public async Task The_build_end_record_carries_result_artifacts_and_compile_jobs_in_the_same_chain()
    {
        var (host, port) = SmtpEndpoint.Require(SmtpEndpoint.Plain);
        var kit = new AuditTestKit(db.DataSource, await SigningCertificate.CreateAsync(_dir), host, port);
        var build = await kit.AuditingBuildAsync(AuditTestKit.UniquePackage("end"));
        var start = await kit.Trail.EnsureAuditedAsync(build, AuditTestKit.Facts, CancellationToken.None);
        Assert.True(await kit.Builds.TransitionAsync(build.Id, BuildState.Auditing, BuildState.Building, null, null, null, CancellationToken.None));
        var building = (await kit.Builds.GetAsync(build.Id, CancellationToken.None))!;
        var compose = await kit.Trail.ComposeBuildEndAsync(building, AuditTestKit.Facts,
            new BuildEndFacts(AuditResult.Failed, BuildStages.Building, [new("hello_1.0-1.dsc", new string('d', 64))], new AuditCompileJobs(3, "sha256:" + new string('e', 64))),
            CancellationToken.None);

        // The pipeline's way: the record with the final state in one transaction, delivered after the commit.
        var ending = await kit.Builds.EndAsync(build.Id, building.Attempts,
            new StateChange(BuildState.Building, BuildState.Failed) { Stage = BuildStages.Building, Reason = "dpkg-buildpackage exited 2" }, compose, CancellationToken.None);
        var end = await kit.Trail.DeliverAsync(ending.Record!, CancellationToken.None);

        Assert.True(ending.Moved);
        Assert.Equal(BuildState.Failed, (await kit.Builds.GetAsync(build.Id, CancellationToken.None))!.State);
        Assert.True(end.Accepted);
        Assert.True(end.Seq > start.Seq);
        var record = AuditRecordFormat.Parse(Encoding.ASCII.GetBytes((await kit.Records.GetAsync(end.Seq, CancellationToken.None))!.Record));
        Assert.Equal(AuditEvent.BuildEnd, record.Event);
        Assert.Equal(AuditResult.Failed, record.Result);
        Assert.Equal("building", record.FailedStage);
        Assert.Equal(3, record.CompileJobs!.Count);
    }
}
