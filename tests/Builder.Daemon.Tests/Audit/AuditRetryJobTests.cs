using Builder.Audit;
using Builder.Core.Builds;
using Builder.Daemon.Audit;
using Builder.Store;
using Builder.Store.Audit;
using Builder.Store.Builds;
using Builder.Tests.Common;
using Builder.Tests.Common.Audit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Quartz;

namespace Builder.Daemon.Tests.Audit;

/// <summary>The AuditRetry job in a real (in-memory) Quartz scheduler, against a real aiosmtpd that comes back after refusing.</summary>
[Trait(Categories.Name, Categories.Integration)]
public sealed class AuditRetryJobTests : IAsyncLifetime
{
    private readonly PostgresDatabase _db = new();
    private readonly string _dir = TestEnvironment.NewTempDirectory("audit-job");
    private AiosmtpdProcess? _smtp;

    public Task InitializeAsync() => _db.InitializeAsync();

    [Fact]
    public async Task The_job_delivers_a_refused_record_once_the_server_is_back_and_tells_the_pipeline()
    {
        var certificate = await SigningCertificate.CreateAsync(_dir);
        var port = TestPorts.Unused();
        var accepted = new AcceptedBuilds();
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(AuditConfiguration.Loopback(port, certificate));
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Database:ConnectionString"] = _db.ConnectionString,
            // Short back-off so the job's next poll finds the record due.
            ["Audit:RetryBase"] = "00:00:00.2",
            ["Audit:RetryCap"] = "00:00:01",
            ["Audit:RetryJitter"] = "00:00:00",
        });
        builder.Services.AddBuilderStore();
        builder.Services.AddBuilderAuditDelivery();
        builder.Services.AddSingleton<IAuditAcceptedHandler>(accepted);
        builder.Services.AddQuartz(q => q.AddAuditJobs(TimeSpan.FromMilliseconds(200)));
        using var host = builder.Build();
        await host.StartAsync();
        var builds = host.Services.GetRequiredService<BuildRepository>();
        var trail = host.Services.GetRequiredService<AuditTrail>();

        var build = await AuditingBuilds.SubmitAsync(builds, "retried");
        var first = await trail.EnsureAuditedAsync(build, new AuditFacts(null, []), CancellationToken.None);
        Assert.Equal(AuditDeliveryState.Pending, first.State);

        _smtp = await AiosmtpdProcess.StartAsync(Path.Combine(_dir, "Maildir"), port);
        var scheduler = await host.Services.GetRequiredService<ISchedulerFactory>().GetScheduler();
        await scheduler.Start();
        try
        {
            // A guard against a hang, not a timing assertion: the job polls every 200 ms.
            var started = await accepted.First.Task.WaitAsync(TimeSpan.FromSeconds(60));
            Assert.Equal(build.Id, started);
        }
        finally
        {
            await scheduler.Shutdown(waitForJobsToComplete: true);
        }
        var record = (await host.Services.GetRequiredService<AuditRepository>().GetAsync(first.Seq, CancellationToken.None))!;
        Assert.True(record.Accepted);
        Assert.True(Directory.GetFiles(Path.Combine(_dir, "Maildir", "new")).Length == 1);
        Assert.True(await builds.TransitionAsync(build.Id, BuildState.Auditing, BuildState.Building, null, null, null, CancellationToken.None));
        await host.StopAsync();
    }

    private sealed class AcceptedBuilds : IAuditAcceptedHandler
    {
        public TaskCompletionSource<long> First { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task BuildStartAcceptedAsync(long buildId, int attempt, CancellationToken cancellationToken)
        {
            First.TrySetResult(buildId);
            return Task.CompletedTask;
        }
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
