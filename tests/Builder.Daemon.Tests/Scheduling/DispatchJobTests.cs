using Builder.Audit.Options;
using Builder.Daemon.Audit;
using Builder.Core.Builds;
using Builder.Daemon.Scheduling;
using Builder.Store.Builds;
using Builder.Store.Instances;
using Builder.Tests.Common;
using Builder.Tests.Common.Audit;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Quartz;

namespace Builder.Daemon.Tests.Scheduling;

/// <summary>
/// The dispatcher against the real database: a claim whose run job could not be scheduled is not left in preparing
/// under a live daemon (recovery only looks at dead daemons' builds).
/// </summary>
[Trait(Categories.Name, Categories.Integration)]
public sealed class DispatchJobTests : IAsyncLifetime
{
    private readonly PostgresDatabase _db = new();

    public Task InitializeAsync() => _db.InitializeAsync();

    public Task DisposeAsync() => _db.DisposeAsync();

    [Fact]
    public async Task A_claim_whose_job_could_not_be_scheduled_gets_its_job_on_the_next_dispatch()
    {
        var builds = new BuildRepository(_db.DataSource);
        var instances = new InstanceRepository(_db.DataSource);
        var instance = new DaemonInstance(TimeProvider.System);
        await instances.RegisterAsync(instance.Id, instance.Host, CancellationToken.None);
        var dispatch = NewDispatch(builds, instances, instance);
        var id = await AuditingBuilds.SubmitQueuedAsync(builds, "stranded");

        // A scheduler that refuses every job, as a job store that fails right after the claim committed.
        var broken = await NewSchedulerAsync();
        await broken.Shutdown();
        await Assert.ThrowsAsync<SchedulerException>(() => dispatch.DispatchAsync(broken, CancellationToken.None));

        var claimed = (await builds.GetAsync(id, CancellationToken.None))!;
        Assert.Equal(BuildState.Preparing, claimed.State);
        Assert.Equal(1, claimed.Attempts);

        var scheduler = await NewSchedulerAsync();
        try
        {
            await dispatch.DispatchAsync(scheduler, CancellationToken.None);
            var key = RunBuildJob.Create(id, 1, resume: false).Job.Key;
            var job = await scheduler.GetJobDetail(key);
            Assert.NotNull(job);
            Assert.Equal(id, job.JobDataMap.GetLong(RunBuildJob.BuildIdKey));
            Assert.False(job.JobDataMap.GetBoolean(RunBuildJob.ResumeKey));

            // Once scheduled it is left alone: another tick does not fail on the existing job.
            await dispatch.DispatchAsync(scheduler, CancellationToken.None);
            Assert.True(await scheduler.Exists(key));
            Assert.Equal(BuildState.Preparing, (await builds.GetAsync(id, CancellationToken.None))!.State);
        }
        finally
        {
            await scheduler.Shutdown();
        }
    }

    [Fact]
    public async Task A_build_claimed_by_a_stopped_daemon_is_left_to_recovery()
    {
        var builds = new BuildRepository(_db.DataSource);
        var instances = new InstanceRepository(_db.DataSource);
        var gone = new DaemonInstance(TimeProvider.System);
        await instances.RegisterAsync(gone.Id, gone.Host, CancellationToken.None);
        var id = await AuditingBuilds.SubmitQueuedAsync(builds, "orphan");
        Assert.Equal(id, (await builds.ClaimNextAsync(10, gone.Id, CancellationToken.None))!.Id);
        await instances.MarkStoppedAsync([gone.Id], CancellationToken.None);

        Assert.Empty(await builds.StrandedAsync(TimeSpan.FromMinutes(1), CancellationToken.None));
    }

    [Fact]
    public async Task A_build_left_in_auditing_by_a_gone_daemon_gets_a_resume_pinned_to_a_live_daemon_of_its_host()
    {
        var builds = new BuildRepository(_db.DataSource);
        var instances = new InstanceRepository(_db.DataSource);
        var gone = new DaemonInstance($"home-{Guid.NewGuid():N}"[..20], TimeProvider.System);
        var successor = new DaemonInstance(gone.Host, TimeProvider.System);
        var elsewhere = new DaemonInstance($"other-{Guid.NewGuid():N}"[..20], TimeProvider.System);
        foreach (var d in new[] { gone, successor, elsewhere })
        {
            await instances.RegisterAsync(d.Id, d.Host, CancellationToken.None);
        }
        var build = await AuditingBuilds.SubmitAsync(builds, $"orphan-{Guid.NewGuid():N}"[..20]);
        Assert.NotNull(await builds.TakeAsync(build.Id, BuildState.Auditing, build.Attempts, gone.Id, CancellationToken.None));
        await instances.MarkStoppedAsync([gone.Id], CancellationToken.None);

        var scheduler = await NewSchedulerAsync();
        try
        {
            await NewDispatch(builds, instances, elsewhere).DispatchAsync(scheduler, CancellationToken.None);

            var (job, _) = RunBuildJob.Create(build.Id, build.Attempts, resume: true);
            Assert.True((await scheduler.GetJobDetail(job.Key))!.JobDataMap.GetBoolean(RunBuildJob.ResumeKey));
            var trigger = Assert.Single(await scheduler.GetTriggersOfJob(job.Key));
            Assert.Equal(successor.Id, trigger.PreferredNode.Node);

            // The next tick finds the resume scheduled and leaves it alone.
            await NewDispatch(builds, instances, elsewhere).DispatchAsync(scheduler, CancellationToken.None);
            Assert.Single(await scheduler.GetTriggersOfJob(job.Key));
        }
        finally
        {
            await scheduler.Shutdown();
        }
    }

    private static DispatchJob NewDispatch(BuildRepository builds, InstanceRepository instances, DaemonInstance instance)
    {
        var options = Options.Create(new SchedulerOptions());
        var recovery = new BuildRecovery(builds, new AuditStamps(Options.Create(new AuditOptions { HostName = "dispatch.test" }), TimeProvider.System), new BuildResumes(instances, options, TimeProvider.System), [], options, NullLogger<BuildRecovery>.Instance);
        return new DispatchJob(builds, instances, instance, recovery, options, NullLogger<DispatchJob>.Instance);
    }

    // In memory and never started: jobs are stored, not run.
    private static async Task<IScheduler> NewSchedulerAsync() =>
        await QuartzSchedulerBuilder.Create(q => q.ConfigureScheduler(o => o.InstanceName = $"dispatch-test-{Guid.NewGuid():N}")).BuildScheduler();
}
