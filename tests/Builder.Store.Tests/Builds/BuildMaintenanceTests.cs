using Builder.Core.Builds;
using Builder.Store.Builds;
using Builder.Tests.Common;
using Dapper;

namespace Builder.Store.Tests.Builds;

[Trait(Categories.Name, Categories.Integration)]
public sealed class BuildMaintenanceTests(PostgresDatabase db) : IClassFixture<PostgresDatabase>
{
    private BuildRepository Repo => new(db.DataSource);

    private static NewBuild NewBuild(string nonce, DateTimeOffset issued) => new(
        "dev", "nonces", null, "alice", "SHA256:test", "sha256:acl", "request text", "signature", nonce, issued);

    [Fact]
    public async Task Nonces_past_the_kept_span_are_deleted_and_younger_ones_still_refuse_a_replay()
    {
        var old = Guid.NewGuid().ToString("N");
        var young = Guid.NewGuid().ToString("N");
        await Repo.SubmitAsync(NewBuild(old, DateTimeOffset.UtcNow), CancellationToken.None);
        await Repo.SubmitAsync(NewBuild(young, DateTimeOffset.UtcNow), CancellationToken.None);
        await using (var conn = await db.DataSource.OpenConnectionAsync())
        {
            await conn.ExecuteAsync("UPDATE request_nonces SET received_at = now() - interval '11 minutes', issued = now() - interval '11 minutes' WHERE nonce = @old",
                new { old });
        }

        var deleted = await Repo.ExpireNoncesAsync(TimeSpan.FromMinutes(10), CancellationToken.None);

        Assert.True(deleted >= 1);
        await using (var conn = await db.DataSource.OpenConnectionAsync())
        {
            Assert.Equal(0, await conn.ExecuteScalarAsync<int>("SELECT count(*) FROM request_nonces WHERE nonce = @old", new { old }));
        }
        await Assert.ThrowsAsync<NonceReplayedException>(() => Repo.SubmitAsync(NewBuild(young, DateTimeOffset.UtcNow), CancellationToken.None));
    }

    [Fact]
    public async Task A_nonce_with_an_issued_time_still_inside_the_kept_span_stays()
    {
        var nonce = Guid.NewGuid().ToString("N");
        // Received long ago by the database's clock, but issued recently (a daemon clock ahead): kept.
        await Repo.SubmitAsync(NewBuild(nonce, DateTimeOffset.UtcNow), CancellationToken.None);
        await using var conn = await db.DataSource.OpenConnectionAsync();
        await conn.ExecuteAsync("UPDATE request_nonces SET received_at = now() - interval '1 hour' WHERE nonce = @nonce", new { nonce });

        await Repo.ExpireNoncesAsync(TimeSpan.FromMinutes(10), CancellationToken.None);

        Assert.Equal(1, await conn.ExecuteScalarAsync<int>("SELECT count(*) FROM request_nonces WHERE nonce = @nonce", new { nonce }));
    }

    [Fact]
    public async Task Build_ends_tell_finished_builds_with_their_age_and_leave_active_and_unknown_ones_out()
    {
        var running = await Repo.SubmitAsync(NewBuild(Guid.NewGuid().ToString("N"), DateTimeOffset.UtcNow), CancellationToken.None);
        Assert.True(await Repo.TransitionAsync(running, BuildState.Queued, BuildState.Preparing, null, null, null, CancellationToken.None));
        var done = await Repo.SubmitAsync(NewBuild(Guid.NewGuid().ToString("N"), DateTimeOffset.UtcNow), CancellationToken.None);
        Assert.True(await Repo.TransitionAsync(done, BuildState.Queued, BuildState.Cancelled, null, null, null, CancellationToken.None));
        await using (var conn = await db.DataSource.OpenConnectionAsync())
        {
            await conn.ExecuteAsync("UPDATE builds SET finished_at = now() - interval '3 days' WHERE id = @done", new { done });
        }

        var ends = await Repo.EndsAsync([running, done, long.MaxValue], CancellationToken.None);

        Assert.Equal(2, ends.Count);
        Assert.False(ends[running].Finished);
        Assert.Null(ends[running].FinishedAgo);
        Assert.True(ends[done].Finished);
        Assert.InRange(ends[done].FinishedAgo!.Value, TimeSpan.FromDays(3), TimeSpan.FromDays(3.1));
    }
}
