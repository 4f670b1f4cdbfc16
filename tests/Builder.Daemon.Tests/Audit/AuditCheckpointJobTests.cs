using System.Text;
using Builder.Audit;
using Builder.Core.Audit;
using Builder.Daemon.Audit;
using Builder.Store;
using Builder.Store.Audit;
using Builder.Store.Builds;
using Builder.Tests.Common;
using Builder.Tests.Common.Audit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using MimeKit;
using Quartz;

namespace Builder.Daemon.Tests.Audit;

/// <summary>The AuditCheckpoint job in a real (in-memory) Quartz scheduler, delivering to a real aiosmtpd.</summary>
[Trait(Categories.Name, Categories.Integration)]
public sealed class AuditCheckpointJobTests : IAsyncLifetime
{
    private readonly PostgresDatabase _db = new();
    private readonly string _dir = TestEnvironment.NewTempDirectory("audit-checkpoint");
    private AiosmtpdProcess? _smtp;

    public Task InitializeAsync() => _db.InitializeAsync();

    [Fact]
    public async Task The_job_appends_a_checkpoint_behind_the_undelivered_record_and_both_are_delivered_in_seq_order()
    {
        var certificate = await SigningCertificate.CreateAsync(_dir);
        var port = TestPorts.Unused();
        var maildir = Path.Combine(_dir, "Maildir");
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(AuditConfiguration.Loopback(port, certificate));
        builder.Configuration.AddInMemoryCollection([new("Database:ConnectionString", _db.ConnectionString)]);
        builder.Services.AddBuilderStore();
        builder.Services.AddBuilderAuditDelivery();
        // The job's own interval (Audit:CheckpointInterval is validated to at least a minute; the trigger is not).
        builder.Services.AddQuartz(q => q.AddAuditJobs(TimeSpan.FromHours(1), checkpointInterval: TimeSpan.FromMilliseconds(200)));
        using var host = builder.Build();
        await host.StartAsync();
        var builds = host.Services.GetRequiredService<BuildRepository>();
        var trail = host.Services.GetRequiredService<AuditTrail>();
        var records = host.Services.GetRequiredService<AuditRepository>();

        // With no SMTP server yet, the build-start record stays undelivered: the checkpoint must wait behind it.
        var build = await AuditingBuilds.SubmitAsync(builds, "checkpointed");
        var start = await trail.EnsureAuditedAsync(build, new AuditFacts(null, []), CancellationToken.None);
        Assert.False(start.Accepted);
        _smtp = await AiosmtpdProcess.StartAsync(maildir, port);
        var scheduler = await host.Services.GetRequiredService<ISchedulerFactory>().GetScheduler();
        await scheduler.Start();
        try
        {
            // A guard against a hang, not a timing assertion: the trigger fires every 200 ms.
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            while ((await records.GetAsync(start.Seq + 1, timeout.Token)) is not { Accepted: true })
            {
                await Task.Delay(100, timeout.Token);
            }
        }
        finally
        {
            await scheduler.Shutdown(waitForJobsToComplete: true);
        }

        var stored = (await records.GetAsync(start.Seq + 1, CancellationToken.None))!;
        Assert.Equal(("checkpoint", (long?)null), (stored.Event, stored.BuildId));
        var startRecord = (await records.GetAsync(start.Seq, CancellationToken.None))!;
        Assert.True(startRecord.Accepted);
        Assert.True(startRecord.AcceptedAt <= stored.AcceptedAt, "the checkpoint left before the record it certifies");
        var checkpointMail = Maildir.Load(Maildir.FileOf(maildir, stored.MessageId!));
        Assert.Equal($"[builder audit] seq {stored.Seq} checkpoint", checkpointMail.Subject);
        Assert.Null(checkpointMail.Headers["X-Builder-Audit-Build"]);
        var text = await RecordTextAsync(checkpointMail);
        Assert.Equal(stored.Record, text);
        var record = AuditRecordFormat.Parse(Encoding.ASCII.GetBytes(text));
        Assert.Equal((AuditEvent.Checkpoint, stored.Seq, startRecord.Hash, "builder1.test"), (record.Event, record.Seq, record.Prev, record.Host));
        await host.StopAsync();
    }

    private static async Task<string> RecordTextAsync(MimeMessage message)
    {
        var signed = Assert.IsType<MimeKit.Cryptography.MultipartSigned>(message.Body);
        var part = Assert.IsType<TextPart>(signed[0]);
        using var content = new MemoryStream();
        await part.Content!.DecodeToAsync(content);
        return Encoding.ASCII.GetString(content.ToArray());
    }

    public async Task DisposeAsync()
    {
        if (_smtp is not null)
        {
            await _smtp.DisposeAsync();
        }
        await _db.DisposeAsync();
    }
}
