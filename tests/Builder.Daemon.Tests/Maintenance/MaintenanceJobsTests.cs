using Builder.Core.Builds;
using Builder.Daemon.Hosting;
using Builder.Daemon.Logs;
using Builder.Daemon.Maintenance;
using Builder.Daemon.Pipeline;
using Builder.Daemon.Scheduling;
using Builder.Store;
using Builder.Store.Builds;
using Builder.Tests.Common;
using Builder.Vm;
using Builder.Vm.Running;
using Dapper;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Quartz;

namespace Builder.Daemon.Tests.Maintenance;

/// <summary>The Cleanup and NonceExpiry jobs in a clustered Quartz scheduler on the real PostgreSQL job store, as builderd runs them.</summary>
[Trait(Categories.Name, Categories.Integration)]
public sealed class MaintenanceJobsTests : IAsyncLifetime
{
    private readonly PostgresDatabase _db = new();
    private readonly string _root = TestEnvironment.NewTempDirectory("maintenance");

    public Task InitializeAsync() => _db.InitializeAsync();

    public async Task DisposeAsync()
    {
        await _db.DisposeAsync();
        Directory.Delete(_root, recursive: true);
    }

    [Fact]
    public async Task Both_jobs_run_in_the_clustered_scheduler_and_the_cleanup_trigger_is_pinned_to_its_host_node()
    {
        var nodeId = $"maintenance-test-{Guid.NewGuid():N}";
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Database:ConnectionString"] = _db.ConnectionString });
        builder.Services.AddBuilderStore();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.Configure<HttpApiOptions>(o => o.ReplayWindow = TimeSpan.FromMinutes(5));
        builder.Services.Configure<BuildLogOptions>(o => o.Directory = Path.Combine(_root, "logs"));
        builder.Services.Configure<PipelineOptions>(o => o.WorkDirectory = Path.Combine(_root, "builds"));
        builder.Services.Configure<VmOptions>(o => o.WorkDirectory = Path.Combine(_root, "vm"));
        builder.Services.AddSingleton<FailedBuildJanitor>();
        builder.Services.AddSingleton<BuildFilesCleaner>();
        builder.Services.AddSingleton<Builder.Store.Farm.CompileJobRepository>();
        builder.Services.AddSingleton<CompileJobRetention>();
        builder.Services.AddOptions<Builder.Farm.FarmOptions>();
        builder.Services.AddQuartz(q =>
        {
            q.ConfigureScheduler(o =>
            {
                o.InstanceName = "maintenance-test";
                o.InstanceId = nodeId;
            });
            q.UsePersistentStore(store =>
            {
                store.UsePostgres(_db.ConnectionString);
                store.UseClustering(c => c.CheckinInterval = TimeSpan.FromSeconds(1));
            });
            // Short intervals here; builderd's are validated (Scheduler:CleanupInterval, Scheduler:NonceExpiryInterval).
            q.AddMaintenanceJobs(new SchedulerOptions { CleanupInterval = TimeSpan.FromMilliseconds(200), NonceExpiryInterval = TimeSpan.FromMilliseconds(200) },
                "test-host", nodeId);
        });
        using var host = builder.Build();
        await host.StartAsync();
        var builds = host.Services.GetRequiredService<BuildRepository>();

        // A build that ended 200 days ago, with its log; and a nonce past twice the replay window.
        var nonce = Guid.NewGuid().ToString("N");
        var id = await builds.SubmitAsync(new NewBuild("dev", "old", null, "alice", "SHA256:test", "sha256:acl", "request", "signature", nonce, DateTimeOffset.UtcNow),
            CancellationToken.None);
        Assert.True(await builds.TransitionAsync(id, BuildState.Queued, BuildState.Cancelled, null, null, null, CancellationToken.None));
        await using (var conn = await _db.DataSource.OpenConnectionAsync())
        {
            await conn.ExecuteAsync("UPDATE builds SET finished_at = now() - interval '200 days' WHERE id = @id", new { id });
            await conn.ExecuteAsync("UPDATE request_nonces SET received_at = now() - interval '11 minutes', issued = now() - interval '11 minutes' WHERE nonce = @nonce",
                new { nonce });
        }
        await host.Services.GetRequiredService<Builder.Store.Farm.CompileJobRepository>().WriteAsync(
        [
            new Builder.Store.Farm.CompileJobRow(id, 1, DateTimeOffset.UnixEpoch, 1, null, Builder.Farm.Records.CompileOutcomes.Refused, null, ["gcc"],
                null, null, null, 0, null, "refused", 1, null),
        ], CancellationToken.None);
        var log = Path.Combine(_root, "logs", $"{id}.log");
        Directory.CreateDirectory(Path.GetDirectoryName(log)!);
        await File.WriteAllTextAsync(log, "done\n");

        var scheduler = await host.Services.GetRequiredService<ISchedulerFactory>().GetScheduler();
        await scheduler.Start();
        try
        {
            var trigger = await scheduler.GetTrigger(new TriggerKey(MaintenanceQuartzExtensions.CleanupTriggerName("test-host"), "builder"));
            Assert.Equal(nodeId, trigger!.PreferredNode.Node);
            Assert.NotNull(await scheduler.GetTrigger(new TriggerKey("nonce-expiry", "builder")));
            // A guard against a hang, not a timing assertion: both triggers fire every 200 ms.
            using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            while (File.Exists(log) || await NonceCountAsync(nonce) > 0 || await JobRecordCountAsync(id) > 0)
            {
                await Task.Delay(100, guard.Token);
            }
        }
        finally
        {
            await scheduler.Shutdown(waitForJobsToComplete: true);
        }
        await host.StopAsync();
    }

    private async Task<int> JobRecordCountAsync(long buildId)
    {
        await using var conn = await _db.DataSource.OpenConnectionAsync();
        return await conn.ExecuteScalarAsync<int>("SELECT count(*) FROM compile_jobs WHERE build_id = @buildId", new { buildId });
    }

    private async Task<int> NonceCountAsync(string nonce)
    {
        await using var conn = await _db.DataSource.OpenConnectionAsync();
        return await conn.ExecuteScalarAsync<int>("SELECT count(*) FROM request_nonces WHERE nonce = @nonce", new { nonce });
    }
}
