using Builder.Core.Audit;
using Builder.Core.Builds;
using Builder.Store.Audit;
using Builder.Store.Builds;
using Builder.Tests.Common;
using Builder.Tests.Common.Audit;
using Dapper;
using Npgsql;

namespace Builder.Store.Tests.Audit;

/// <summary>
/// Every way into 'building' or 'publishing' an attacker with SQL access could take (from any state, and INSERTs)
/// needs the attempt's accepted build-start record; the pipeline's own paths still pass once it is accepted.
/// </summary>
[Trait(Categories.Name, Categories.Integration)]
public sealed class BuildStartPathTests(PostgresDatabase db) : IClassFixture<PostgresDatabase>
{
    private const string Constraint = "builds_audited_before_start";

    private readonly BuildRepository _builds = new(db.DataSource);
    private readonly AuditRepository _audit = new(db.DataSource);

    private static string Unique(string prefix) => prefix + "-" + Guid.NewGuid().ToString("N")[..8];

    [Theory]
    [InlineData("queued", "publishing")]
    [InlineData("preparing", "publishing")]
    [InlineData("failed", "publishing")]
    [InlineData("queued", "building")]
    [InlineData("preparing", "building")]
    [InlineData("failed", "building")]
    [InlineData("auditing", "building")]
    [InlineData("auditing", "publishing")]
    public async Task Raw_SQL_cannot_move_a_build_without_an_accepted_build_start_into(string from, string to)
    {
        var build = await BuildInAsync(from);
        await using var conn = await db.DataSource.OpenConnectionAsync();
        var ex = await Assert.ThrowsAsync<PostgresException>(() =>
            conn.ExecuteAsync("UPDATE builds SET state = @to, failed_stage = NULL WHERE id = @build", new { to, build }));
        Assert.Equal(Constraint, ex.ConstraintName);
        Assert.Equal($"build {build} cannot enter {to}: its build-start audit record was not accepted off-site", ex.MessageText);
        Assert.Equal(from, await conn.ExecuteScalarAsync<string>("SELECT state FROM builds WHERE id = @build", new { build }));
    }

    [Theory]
    [InlineData("publishing")]
    [InlineData("building")]
    public async Task Raw_SQL_cannot_insert_a_build_that_is_already(string state)
    {
        await using var conn = await db.DataSource.OpenConnectionAsync();
        var ex = await Assert.ThrowsAsync<PostgresException>(() => conn.ExecuteAsync("""
            INSERT INTO builds (pocket, package, requester, key_fingerprint, acl_hash, request, signature, state, attempts)
            VALUES ('dev', @package, 'mallory', 'k', 'a', 'r', 's', @state, 1)
            """, new { package = Unique("sneaky"), state }));
        Assert.Equal(Constraint, ex.ConstraintName);
    }

    [Fact]
    public async Task A_pending_build_start_record_does_not_open_publishing_from_preparing()
    {
        var id = await AuditingBuilds.SubmitQueuedAsync(_builds, Unique("pending"));
        Assert.True(await _builds.TransitionAsync(id, BuildState.Queued, BuildState.Preparing, null, null, null, CancellationToken.None));
        await _audit.AppendAsync(id, AuditEvent.BuildStart, 1, AuditStoreSamples.Compose(id), CancellationToken.None);
        await using var conn = await db.DataSource.OpenConnectionAsync();
        var ex = await Assert.ThrowsAsync<PostgresException>(() =>
            conn.ExecuteAsync("UPDATE builds SET state = 'publishing' WHERE id = @id", new { id }));
        Assert.Equal(Constraint, ex.ConstraintName);
    }

    [Fact]
    public async Task Changing_the_attempt_of_a_building_build_needs_that_attempts_accepted_record()
    {
        var build = await AcceptedAsync(Unique("attempt"));
        Assert.True(await _builds.TransitionAsync(build, BuildState.Auditing, BuildState.Building, null, null, null, CancellationToken.None));
        await using var conn = await db.DataSource.OpenConnectionAsync();
        var ex = await Assert.ThrowsAsync<PostgresException>(() =>
            conn.ExecuteAsync("UPDATE builds SET attempts = attempts + 1 WHERE id = @build", new { build }));
        Assert.Equal(Constraint, ex.ConstraintName);
    }

    [Fact]
    public async Task The_pipelines_paths_pass_with_the_accepted_record()
    {
        var built = await AcceptedAsync(Unique("build"));
        Assert.True(await _builds.TransitionAsync(built, BuildState.Auditing, BuildState.Building, null, null, null, CancellationToken.None));
        Assert.True(await _builds.TransitionAsync(built, BuildState.Building, BuildState.Publishing, null, null, null, CancellationToken.None));
        Assert.True((await _builds.EndAsync(built, 1, new StateChange(BuildState.Publishing, BuildState.Failed) { Stage = BuildStages.Publishing },
            AuditStoreSamples.Compose(built, AuditEvent.BuildEnd), CancellationToken.None)).Moved);

        var copied = await AcceptedAsync(Unique("copy"));
        Assert.True(await _builds.TransitionAsync(copied, BuildState.Auditing, BuildState.Publishing, null, null, null, CancellationToken.None));
    }

    [Fact]
    public async Task Raw_SQL_with_the_accepted_record_passes_too()
    {
        var build = await AcceptedAsync(Unique("raw-ok"));
        await using var conn = await db.DataSource.OpenConnectionAsync();
        Assert.Equal(1, await conn.ExecuteAsync("UPDATE builds SET state = 'building' WHERE id = @build", new { build }));
        Assert.Equal(1, await conn.ExecuteAsync("UPDATE builds SET state = 'publishing' WHERE id = @build", new { build }));
        Assert.Equal(1, await conn.ExecuteAsync("UPDATE builds SET reason = 'touched' WHERE id = @build", new { build }));
    }

    private async Task<long> AcceptedAsync(string package)
    {
        var build = await AuditStoreSamples.AuditingBuildAsync(_builds, package);
        var r = await _audit.AppendAsync(build, AuditEvent.BuildStart, 1, AuditStoreSamples.Compose(build), CancellationToken.None);
        await _audit.MarkAcceptedAsync(r.Seq, $"audit.{r.Seq}@test", DateTimeOffset.UtcNow, CancellationToken.None);
        return build;
    }

    private async Task<long> BuildInAsync(string state)
    {
        var package = Unique(state);
        switch (state)
        {
            case "queued":
                return await AuditingBuilds.SubmitQueuedAsync(_builds, package);
            case "preparing":
                var id = await AuditingBuilds.SubmitQueuedAsync(_builds, package);
                Assert.True(await _builds.TransitionAsync(id, BuildState.Queued, BuildState.Preparing, null, null, null, CancellationToken.None));
                return id;
            case "auditing":
                return await AuditStoreSamples.AuditingBuildAsync(_builds, package);
            case "failed":
                var failed = await AuditStoreSamples.AuditingBuildAsync(_builds, package);
                Assert.True(await _builds.TransitionAsync(failed, BuildState.Auditing, BuildState.Failed, BuildStages.Auditing, null, null, CancellationToken.None));
                return failed;
            default:
                throw new ArgumentOutOfRangeException(nameof(state), state, null);
        }
    }
}
