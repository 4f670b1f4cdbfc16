using Builder.Store.Audit;
using Builder.Core.Builds;
using Builder.Store.Builds;
using Builder.Store.Instances;
using Builder.Tests.Common;

namespace Builder.Store.Tests.Builds;

[Trait(Categories.Name, Categories.Integration)]
public sealed class BuildRepositoryTests(PostgresDatabase db) : IClassFixture<PostgresDatabase>
{
    private static readonly AuditStamp Stamp = AuditStamp.At("recovery.test", DateTimeOffset.UtcNow);

    private BuildRepository Repo => new(db.DataSource);

    private static NewBuild NewBuild(string package = "hello", string? nonce = null) => new(
        "dev", package, null, "alice", "SHA256:test", "sha256:acl", "request text", "signature",
        nonce ?? Guid.NewGuid().ToString("N"), DateTimeOffset.UtcNow);

    [Fact]
    public async Task Submit_stores_a_queued_build_with_its_first_event()
    {
        var id = await Repo.SubmitAsync(NewBuild(), CancellationToken.None);
        var build = await Repo.GetAsync(id, CancellationToken.None);
        Assert.NotNull(build);
        Assert.Equal(BuildState.Queued, build.State);
        Assert.Equal("request text", build.Request);
        var events = await Repo.EventsAsync(id, CancellationToken.None);
        var first = Assert.Single(events);
        Assert.Null(first.FromState);
        Assert.Equal("queued", first.ToState);
        Assert.Equal("submitted by alice", first.Message);
    }

    [Fact]
    public async Task A_replayed_nonce_stores_nothing()
    {
        var nonce = Guid.NewGuid().ToString("N");
        await Repo.SubmitAsync(NewBuild("replay-a", nonce), CancellationToken.None);
        var ex = await Assert.ThrowsAsync<NonceReplayedException>(() => Repo.SubmitAsync(NewBuild("replay-b", nonce), CancellationToken.None));
        Assert.Equal(nonce, ex.Nonce);
        Assert.Empty(await Repo.ListAsync(new BuildQuery(Package: "replay-b"), CancellationToken.None));
    }

    [Fact]
    public async Task Every_transition_writes_an_event_and_sets_the_timestamps()
    {
        var id = await Repo.SubmitAsync(NewBuild(), CancellationToken.None);
        Assert.True(await Repo.TransitionAsync(id, BuildState.Queued, BuildState.Preparing, null, null, "claimed", CancellationToken.None));
        Assert.True(await Repo.TransitionAsync(id, BuildState.Preparing, BuildState.Failed, BuildStages.Preparing, "no such commit", null, CancellationToken.None));
        var build = (await Repo.GetAsync(id, CancellationToken.None))!;
        Assert.Equal(BuildState.Failed, build.State);
        Assert.Equal(BuildStages.Preparing, build.FailedStage);
        Assert.Equal("no such commit", build.Reason);
        Assert.Equal(1, build.Attempts);
        Assert.NotNull(build.StartedAt);
        Assert.NotNull(build.FinishedAt);
        var events = await Repo.EventsAsync(id, CancellationToken.None);
        Assert.Equal(["queued", "preparing", "failed"], events.Select(e => e.ToState));
        Assert.Equal("no such commit", events[^1].Message);
    }

    [Fact]
    public async Task A_transition_from_the_wrong_state_changes_nothing()
    {
        var id = await Repo.SubmitAsync(NewBuild(), CancellationToken.None);
        Assert.False(await Repo.TransitionAsync(id, BuildState.Preparing, BuildState.Auditing, null, null, null, CancellationToken.None));
        Assert.Single(await Repo.EventsAsync(id, CancellationToken.None));
    }

    [Fact]
    public async Task An_invalid_transition_is_refused_before_touching_the_database()
    {
        var id = await Repo.SubmitAsync(NewBuild(), CancellationToken.None);
        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            Repo.TransitionAsync(id, BuildState.Queued, BuildState.Building, null, null, null, CancellationToken.None));
        Assert.Contains("queued → building is not a valid transition", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Two_active_builds_of_one_pocket_and_package_are_refused_by_the_database()
    {
        var package = "one-active-" + Guid.NewGuid().ToString("N")[..8];
        var a = await Repo.SubmitAsync(NewBuild(package), CancellationToken.None);
        var b = await Repo.SubmitAsync(NewBuild(package), CancellationToken.None);
        Assert.True(await Repo.TransitionAsync(a, BuildState.Queued, BuildState.Preparing, null, null, null, CancellationToken.None));
        var ex = await Assert.ThrowsAsync<Npgsql.PostgresException>(() =>
            Repo.TransitionAsync(b, BuildState.Queued, BuildState.Preparing, null, null, null, CancellationToken.None));
        Assert.Equal("builds_one_active", ex.ConstraintName);
    }

    [Fact]
    public async Task Cancel_of_a_queued_build_cancels_it_and_of_a_running_build_marks_it()
    {
        var queued = await Repo.SubmitAsync(NewBuild("cancel-q"), CancellationToken.None);
        var running = await Repo.SubmitAsync(NewBuild("cancel-r"), CancellationToken.None);
        await Repo.TransitionAsync(running, BuildState.Queued, BuildState.Preparing, null, null, null, CancellationToken.None);

        var q = await Repo.CancelAsync(queued, Guid.NewGuid().ToString("N"), "alice", DateTimeOffset.UtcNow, CancellationToken.None);
        Assert.Equal(new CancelOutcome(true, false, BuildState.Cancelled), q);
        var r = await Repo.CancelAsync(running, Guid.NewGuid().ToString("N"), "carol", DateTimeOffset.UtcNow, CancellationToken.None);
        Assert.Equal(new CancelOutcome(false, true, BuildState.Preparing), r);
        var build = (await Repo.GetAsync(running, CancellationToken.None))!;
        Assert.Equal(BuildState.Preparing, build.State);
        Assert.NotNull(build.CancelRequestedAt);
        Assert.Equal("cancel requested by carol", (await Repo.EventsAsync(running, CancellationToken.None))[^1].Message);
    }

    [Fact]
    public async Task An_interrupted_build_can_go_back_to_the_queue()
    {
        var id = await Repo.SubmitAsync(NewBuild(), CancellationToken.None);
        await Repo.TransitionAsync(id, BuildState.Queued, BuildState.Preparing, null, null, null, CancellationToken.None);
        await Repo.TransitionAsync(id, BuildState.Preparing, BuildState.Failed, BuildStages.Interrupted, "daemon stopped", null, CancellationToken.None);
        var failed = (await Repo.GetAsync(id, CancellationToken.None))!;
        Assert.True(BuildStates.CanRequeue(failed.State, failed.FailedStage, failed.Attempts));
        Assert.True(await Repo.TransitionAsync(id, BuildState.Failed, BuildState.Queued, null, null, "requeued after interruption", CancellationToken.None));
        var requeued = (await Repo.GetAsync(id, CancellationToken.None))!;
        Assert.Null(requeued.FailedStage);
        Assert.Null(requeued.FinishedAt);
    }

    [Fact]
    public async Task Concurrent_claims_take_each_queued_build_once_and_one_per_pocket_package()
    {
        // A database of its own: the claim looks at every queued build.
        var fresh = new PostgresDatabase();
        await fresh.InitializeAsync();
        try
        {
            var repo = new BuildRepository(fresh.DataSource);
            var instances = new InstanceRepository(fresh.DataSource);
            foreach (var name in Enumerable.Range(0, 8).Select(n => $"d{n}").Append("drain"))
            {
                await instances.RegisterAsync(name, "test", CancellationToken.None);
            }
            for (var i = 0; i < 12; i++)
            {
                await repo.SubmitAsync(NewBuild($"pkg{i % 6}"), CancellationToken.None);
            }
            // Eight claimers race: six packages, so exactly six claims succeed (the second build of each package waits).
            var claims = await Task.WhenAll(Enumerable.Range(0, 8).Select(n => Task.Run(() => repo.ClaimNextAsync(100, $"d{n}", CancellationToken.None))));
            var claimed = claims.Where(c => c is not null).Select(c => c!).ToList();
            Assert.Equal(claimed.Count, claimed.Select(c => c.Id).Distinct().Count());
            Assert.Equal(claimed.Count, claimed.Select(c => c.Package).Distinct().Count());
            Assert.All(claimed, c => Assert.Equal(BuildState.Preparing, c.State));
            // Whatever the race left, sequential claims drain the remaining packages and then stop.
            while (await repo.ClaimNextAsync(100, "drain", CancellationToken.None) is { } more)
            {
                claimed.Add(more);
            }
            Assert.Equal(6, claimed.Count);
            Assert.Equal(Enumerable.Range(0, 6).Select(i => $"pkg{i}"), claimed.Select(c => c.Package).Order(StringComparer.Ordinal));
        }
        finally
        {
            await fresh.DisposeAsync();
        }
    }

    [Fact]
    public async Task Claims_stop_at_the_active_limit()
    {
        var fresh = new PostgresDatabase();
        await fresh.InitializeAsync();
        try
        {
            var repo = new BuildRepository(fresh.DataSource);
            await new InstanceRepository(fresh.DataSource).RegisterAsync("d", "test", CancellationToken.None);
            await repo.SubmitAsync(NewBuild("limit-a"), CancellationToken.None);
            await repo.SubmitAsync(NewBuild("limit-b"), CancellationToken.None);
            Assert.NotNull(await repo.ClaimNextAsync(1, "d", CancellationToken.None));
            Assert.Null(await repo.ClaimNextAsync(1, "d", CancellationToken.None));
        }
        finally
        {
            await fresh.DisposeAsync();
        }
    }

    [Fact]
    public async Task Recovery_fails_interrupted_builds_requeues_first_attempts_and_leaves_auditing_alone()
    {
        var fresh = new PostgresDatabase();
        await fresh.InitializeAsync();
        try
        {
            var repo = new BuildRepository(fresh.DataSource);
            var preparing = await repo.SubmitAsync(NewBuild("rec-a"), CancellationToken.None);
            var auditing = await repo.SubmitAsync(NewBuild("rec-b"), CancellationToken.None);
            var second = await repo.SubmitAsync(NewBuild("rec-c"), CancellationToken.None);
            await repo.TransitionAsync(preparing, BuildState.Queued, BuildState.Preparing, null, null, null, CancellationToken.None);
            await repo.TransitionAsync(auditing, BuildState.Queued, BuildState.Preparing, null, null, null, CancellationToken.None);
            await repo.TransitionAsync(auditing, BuildState.Preparing, BuildState.Auditing, null, null, null, CancellationToken.None);
            // 'second' was interrupted once already: attempts = 2 after its second claim.
            await repo.TransitionAsync(second, BuildState.Queued, BuildState.Preparing, null, null, null, CancellationToken.None);
            await repo.TransitionAsync(second, BuildState.Preparing, BuildState.Failed, BuildStages.Interrupted, "x", null, CancellationToken.None);
            await repo.TransitionAsync(second, BuildState.Failed, BuildState.Queued, null, null, null, CancellationToken.None);
            await repo.TransitionAsync(second, BuildState.Queued, BuildState.Preparing, null, null, null, CancellationToken.None);

            // A build claimed by a daemon that is alive (checked in just now) must not be touched.
            var instances = new InstanceRepository(fresh.DataSource);
            await instances.RegisterAsync("alive", "test", CancellationToken.None);
            await repo.SubmitAsync(NewBuild("rec-d"), CancellationToken.None);
            var owned = (await repo.ClaimNextAsync(100, "alive", CancellationToken.None))!;
            Assert.Equal("rec-d", owned.Package);

            var recovered = await repo.RecoverInterruptedAsync(TimeSpan.FromMinutes(1), Stamp, CancellationToken.None);
            Assert.Equal([new InterruptedBuild(preparing, 1, BuildState.Preparing, true), new InterruptedBuild(second, 2, BuildState.Preparing, false)], recovered);
            Assert.Equal(BuildState.Preparing, (await repo.GetAsync(owned.Id, CancellationToken.None))!.State);

            // Once that daemon is known to have stopped, its build is recovered too.
            await instances.MarkStoppedAsync(["alive"], CancellationToken.None);
            Assert.Equal([new InterruptedBuild(owned.Id, 1, BuildState.Preparing, true)], await repo.RecoverInterruptedAsync(TimeSpan.FromMinutes(1), Stamp, CancellationToken.None));
            Assert.Equal(BuildState.Queued, (await repo.GetAsync(owned.Id, CancellationToken.None))!.State);
            Assert.Equal(BuildState.Queued, (await repo.GetAsync(preparing, CancellationToken.None))!.State);
            Assert.Equal(BuildState.Auditing, (await repo.GetAsync(auditing, CancellationToken.None))!.State);
            var gaveUp = (await repo.GetAsync(second, CancellationToken.None))!;
            Assert.Equal((BuildState.Failed, BuildStages.Interrupted), (gaveUp.State, gaveUp.FailedStage));
            Assert.Equal(["queued", "preparing", "failed", "queued"], (await repo.EventsAsync(preparing, CancellationToken.None)).Select(e => e.ToState));
        }
        finally
        {
            await fresh.DisposeAsync();
        }
    }

    [Fact]
    public async Task Stranded_builds_are_claims_of_live_daemons_and_auditing_builds_of_gone_ones()
    {
        var fresh = new PostgresDatabase();
        await fresh.InitializeAsync();
        try
        {
            var repo = new BuildRepository(fresh.DataSource);
            var instances = new InstanceRepository(fresh.DataSource);
            await instances.RegisterAsync("alive", "host-a", CancellationToken.None);
            await instances.RegisterAsync("gone", "host-b", CancellationToken.None);
            async Task<long> InStateAsync(string package, string owner, BuildState state)
            {
                await repo.SubmitAsync(NewBuild(package), CancellationToken.None);
                var id = (await repo.ClaimNextAsync(100, owner, CancellationToken.None))!.Id;
                if (state == BuildState.Auditing)
                {
                    Assert.True(await repo.TransitionAsync(id, BuildState.Preparing, BuildState.Auditing, null, null, null, CancellationToken.None));
                }
                return id;
            }
            var claimedAlive = await InStateAsync("str-a", "alive", BuildState.Preparing);
            await InStateAsync("str-b", "gone", BuildState.Preparing);
            await InStateAsync("str-c", "alive", BuildState.Auditing);
            var auditingGone = await InStateAsync("str-d", "gone", BuildState.Auditing);
            await repo.SubmitAsync(NewBuild("str-e"), CancellationToken.None);
            await instances.MarkStoppedAsync(["gone"], CancellationToken.None);

            // A claim of a gone daemon is recovery's (failed as interrupted), an auditing build of a live one is its own.
            Assert.Equal([new StrandedBuild(claimedAlive, 1, BuildState.Preparing), new StrandedBuild(auditingGone, 1, BuildState.Auditing)],
                await repo.StrandedAsync(TimeSpan.FromMinutes(1), CancellationToken.None));
        }
        finally
        {
            await fresh.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_stale_or_late_job_neither_takes_nor_recovers_an_attempt_that_is_not_its_own()
    {
        var instances = new InstanceRepository(db.DataSource);
        var (first, second) = ($"first-{Guid.NewGuid():N}", $"second-{Guid.NewGuid():N}");
        await instances.RegisterAsync(first, "test", CancellationToken.None);
        await instances.RegisterAsync(second, "test", CancellationToken.None);
        var id = await Repo.SubmitAsync(NewBuild($"take-{Guid.NewGuid():N}"[..20]), CancellationToken.None);
        Assert.True(await Repo.TransitionAsync(id, BuildState.Queued, BuildState.Preparing, null, null, null, CancellationToken.None));

        // Only the job of the current attempt, in the state it expects, takes the build.
        Assert.Null(await Repo.TakeAsync(id, BuildState.Preparing, 2, first, CancellationToken.None));
        Assert.Null(await Repo.TakeAsync(id, BuildState.Auditing, 1, first, CancellationToken.None));
        var taken = await Repo.TakeAsync(id, BuildState.Preparing, 1, first, CancellationToken.None);
        Assert.Equal((id, 1), (taken?.Id, taken?.Attempts));
        Assert.Contains(await Repo.EventsAsync(id, CancellationToken.None), e => e.Message == $"attempt 1 runs on {first}");

        // Its runner is alive: a recovering job leaves it alone; once the runner is gone, only that attempt is recovered.
        Assert.Null(await Repo.RecoverBuildAsync(id, 1, TimeSpan.FromMinutes(1), Stamp, CancellationToken.None));
        await instances.MarkStoppedAsync([first], CancellationToken.None);
        Assert.Null(await Repo.RecoverBuildAsync(id, 2, TimeSpan.FromMinutes(1), Stamp, CancellationToken.None));
        Assert.Equal(new InterruptedBuild(id, 1, BuildState.Preparing, true), await Repo.RecoverBuildAsync(id, 1, TimeSpan.FromMinutes(1), Stamp, CancellationToken.None));
        Assert.Equal(BuildState.Queued, (await Repo.GetAsync(id, CancellationToken.None))!.State);

        // Attempt 2 runs on another daemon; Quartz's recovery of attempt 1's job, arriving late, must not fail it.
        Assert.True(await Repo.TransitionAsync(id, BuildState.Queued, BuildState.Preparing, null, null, null, CancellationToken.None));
        Assert.NotNull(await Repo.TakeAsync(id, BuildState.Preparing, 2, second, CancellationToken.None));
        Assert.Null(await Repo.RecoverBuildAsync(id, 1, TimeSpan.FromMinutes(1), Stamp, CancellationToken.None));
        Assert.Null(await Repo.TakeAsync(id, BuildState.Preparing, 1, first, CancellationToken.None));
        var build = (await Repo.GetAsync(id, CancellationToken.None))!;
        Assert.Equal((BuildState.Preparing, 2), (build.State, build.Attempts));
        Assert.Equal(["queued", "preparing", "preparing", "failed", "queued", "preparing", "preparing"],
            (await Repo.EventsAsync(id, CancellationToken.None)).Select(e => e.ToState));
    }
}
