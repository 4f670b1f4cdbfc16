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
/// An audited attempt gets its result only together with its build-end record (sql/0014), and an ended attempt cannot
/// start again; <see cref="BuildRepository.EndAsync"/>, <see cref="BuildCompletion.SucceedAsync"/> and recovery write
/// both in one transaction, so a database error while the record is written leaves the build unfinished, not finished
/// without its record.
/// </summary>
[Trait(Categories.Name, Categories.Integration)]
public sealed class BuildEndPathTests(PostgresDatabase db) : IClassFixture<PostgresDatabase>
{
    private const string EndConstraint = "builds_audited_before_end";
    private const string EndedConstraint = "builds_ended_attempt_final";

    private readonly BuildRepository _builds = new(db.DataSource);
    private readonly AuditRepository _audit = new(db.DataSource);
    private readonly BuildCompletion _completion = new(db.DataSource);

    private static string Unique(string prefix) => prefix + "-" + Guid.NewGuid().ToString("N")[..8];

    [Theory]
    [InlineData("building", "succeeded")]
    [InlineData("building", "failed")]
    [InlineData("building", "cancelled")]
    [InlineData("auditing", "failed")]
    [InlineData("auditing", "cancelled")]
    [InlineData("publishing", "succeeded")]
    public async Task Raw_SQL_cannot_finish_an_audited_attempt_without_its_build_end_record(string from, string to)
    {
        var build = await AuditedInAsync(from);
        await using var conn = await db.DataSource.OpenConnectionAsync();
        var ex = await Assert.ThrowsAsync<PostgresException>(() => conn.ExecuteAsync(
            "UPDATE builds SET state = @to, failed_stage = CASE WHEN @to = 'failed' THEN 'building' END WHERE id = @build", new { to, build }));
        Assert.Equal(EndConstraint, ex.ConstraintName);
        Assert.Equal($"build {build} cannot become {to}: attempt 1 has a build-start audit record and no build-end record", ex.MessageText);
        Assert.Equal(from, await StateAsync(build));
    }

    [Fact]
    public async Task An_attempt_never_audited_finishes_without_a_record()
    {
        var id = await AuditingBuildsQueuedToPreparingAsync(Unique("unaudited"));
        Assert.True(await _builds.TransitionAsync(id, BuildState.Preparing, BuildState.Failed, BuildStages.Preparing, "no source", null, CancellationToken.None));
        Assert.Equal("failed", await StateAsync(id));
    }

    [Theory]
    [InlineData("building")]
    [InlineData("publishing")]
    public async Task Raw_SQL_cannot_move_an_ended_attempt_back_into(string state)
    {
        var build = await AuditedInAsync("building");
        var ending = await _builds.EndAsync(build, 1, new StateChange(BuildState.Building, BuildState.Failed) { Stage = BuildStages.Building },
            AuditStoreSamples.Compose(build, AuditEvent.BuildEnd), CancellationToken.None);
        Assert.True(ending.Moved);
        await using var conn = await db.DataSource.OpenConnectionAsync();
        var ex = await Assert.ThrowsAsync<PostgresException>(() => conn.ExecuteAsync(
            "UPDATE builds SET state = @state, failed_stage = NULL WHERE id = @build", new { state, build }));
        Assert.Equal(EndedConstraint, ex.ConstraintName);
        Assert.Equal("failed", await StateAsync(build));
    }

    [Fact]
    public async Task EndAsync_commits_the_final_state_and_the_build_end_record_together()
    {
        var build = await AuditedInAsync("building");
        var ending = await _builds.EndAsync(build, 1, new StateChange(BuildState.Building, BuildState.Failed) { Stage = BuildStages.Building, Reason = "boom" },
            AuditStoreSamples.Compose(build, AuditEvent.BuildEnd), CancellationToken.None);

        Assert.True(ending.Moved);
        Assert.NotNull(ending.Record);
        Assert.Equal(ending.Record, await _audit.FindAsync(build, AuditEvent.BuildEnd, 1, CancellationToken.None));
        Assert.Equal("failed", await StateAsync(build));
    }

    [Fact]
    public async Task EndAsync_writes_no_record_when_the_build_was_not_in_the_expected_state()
    {
        var build = await AuditedInAsync("building");
        var ending = await _builds.EndAsync(build, 1, new StateChange(BuildState.Publishing, BuildState.Failed) { Stage = BuildStages.Publishing },
            AuditStoreSamples.Compose(build, AuditEvent.BuildEnd), CancellationToken.None);

        Assert.False(ending.Moved);
        Assert.Null(await _audit.FindAsync(build, AuditEvent.BuildEnd, 1, CancellationToken.None));
        Assert.Equal("building", await StateAsync(build));
    }

    [Fact]
    public async Task A_database_error_while_the_build_end_record_is_written_leaves_the_build_unfinished_and_the_retry_ends_it()
    {
        var build = await AuditedInAsync("publishing");
        var package = (await _builds.GetAsync(build, CancellationToken.None))!.Package;
        var success = new BuildSuccess(build, 1, "dev", package, null, new string('c', 40), "1.0-1", "dev now has it");
        await AuditFaults.FailBuildEndAsync(db.DataSource, build, times: 1);

        var ex = await Assert.ThrowsAsync<PostgresException>(() =>
            _completion.SucceedAsync(success, AuditStoreSamples.Compose(build, AuditEvent.BuildEnd), CancellationToken.None));
        Assert.Equal(AuditFaults.Message, ex.MessageText);
        Assert.Equal("publishing", await StateAsync(build));
        Assert.Null(await _audit.FindAsync(build, AuditEvent.BuildEnd, 1, CancellationToken.None));
        await using (var conn = await db.DataSource.OpenConnectionAsync())
        {
            // Neither the pocket head moved: the whole transaction rolled back.
            Assert.Equal(0, await conn.ExecuteScalarAsync<int>("SELECT count(*) FROM pocket_heads WHERE package = @package", new { package }));
        }

        var retried = await _completion.SucceedAsync(success, AuditStoreSamples.Compose(build, AuditEvent.BuildEnd), CancellationToken.None);

        Assert.True(retried.Moved);
        Assert.Equal(retried.Record!.Seq, (await _audit.FindAsync(build, AuditEvent.BuildEnd, 1, CancellationToken.None))!.Seq);
        Assert.Equal("succeeded", await StateAsync(build));
    }

    [Fact]
    public async Task Recovery_closes_an_audited_attempt_in_the_transaction_that_fails_it()
    {
        var build = await AuditedInAsync("building");
        await using (var conn = await db.DataSource.OpenConnectionAsync())
        {
            await conn.ExecuteAsync("""
                INSERT INTO daemon_instances (id, host, stopped_at) VALUES (@d, 'gone.test', now());
                UPDATE builds SET claimed_by = @d WHERE id = @build
                """, new { d = Unique("gone"), build });
        }
        var stamp = AuditStamp.At("recoverer.test", new DateTimeOffset(2026, 12, 6, 22, 0, 0, 500, TimeSpan.Zero));

        var recovered = await _builds.RecoverBuildAsync(build, 1, TimeSpan.FromMinutes(1), stamp, CancellationToken.None);

        Assert.Equal(new InterruptedBuild(build, 1, BuildState.Building, true), recovered);
        var end = AuditRecordFormat.Parse(System.Text.Encoding.ASCII.GetBytes((await _audit.FindAsync(build, AuditEvent.BuildEnd, 1, CancellationToken.None))!.Record));
        Assert.Equal((AuditResult.Failed, BuildStages.Interrupted, "recoverer.test"), (end.Result, end.FailedStage, end.Host));
        Assert.Equal(new DateTimeOffset(2026, 12, 6, 22, 0, 0, TimeSpan.Zero), end.Time);
        Assert.Empty(end.Artifacts);
        Assert.Equal("queued", await StateAsync(build));
    }

    private async Task<string> StateAsync(long build)
    {
        await using var conn = await db.DataSource.OpenConnectionAsync();
        return await conn.ExecuteScalarAsync<string>("SELECT state FROM builds WHERE id = @build", new { build }) ?? "";
    }

    private async Task<long> AuditingBuildsQueuedToPreparingAsync(string package)
    {
        var id = await AuditingBuilds.SubmitQueuedAsync(_builds, package);
        Assert.True(await _builds.TransitionAsync(id, BuildState.Queued, BuildState.Preparing, null, null, null, CancellationToken.None));
        return id;
    }

    /// <summary>A build with an accepted build-start record for attempt 1, walked to <paramref name="state"/>.</summary>
    private async Task<long> AuditedInAsync(string state)
    {
        var build = await AuditStoreSamples.AuditingBuildAsync(_builds, Unique(state));
        var r = await _audit.AppendAsync(build, AuditEvent.BuildStart, 1, AuditStoreSamples.Compose(build), CancellationToken.None);
        await _audit.MarkAcceptedAsync(r.Seq, $"audit.{r.Seq}@test", DateTimeOffset.UtcNow, CancellationToken.None);
        if (state is "building" or "publishing")
        {
            Assert.True(await _builds.TransitionAsync(build, BuildState.Auditing, BuildState.Building, null, null, null, CancellationToken.None));
        }
        if (state == "publishing")
        {
            Assert.True(await _builds.TransitionAsync(build, BuildState.Building, BuildState.Publishing, null, null, null, CancellationToken.None));
        }
        return build;
    }
}
