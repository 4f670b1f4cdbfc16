using Builder.Core.Audit;
using Builder.Core.Builds;
using Builder.Store.Audit;
using Builder.Store.Builds;
using Builder.Tests.Common;
using Dapper;
using Npgsql;

namespace Builder.Store.Tests.Audit;

/// <summary>The trigger on builds: no 'building' (and no 'publishing' straight from 'auditing') without an accepted build-start record.</summary>
[Trait(Categories.Name, Categories.Integration)]
public sealed class BuildAuditInvariantTests(PostgresDatabase db) : IClassFixture<PostgresDatabase>
{
    private readonly BuildRepository _builds = new(db.DataSource);
    private readonly AuditRepository _audit = new(db.DataSource);

    private static string Unique(string prefix) => prefix + "-" + Guid.NewGuid().ToString("N")[..8];

    [Fact]
    public async Task Building_without_any_audit_record_is_refused()
    {
        var build = await AuditStoreSamples.AuditingBuildAsync(_builds, Unique("none"));
        var ex = await Assert.ThrowsAsync<PostgresException>(() =>
            _builds.TransitionAsync(build, BuildState.Auditing, BuildState.Building, null, null, null, CancellationToken.None));
        Assert.Equal("builds_audited_before_start", ex.ConstraintName);
        Assert.Equal(PostgresErrorCodes.CheckViolation, ex.SqlState);
        Assert.Equal($"build {build} cannot enter building: its build-start audit record was not accepted off-site", ex.MessageText);
        Assert.Equal(BuildState.Auditing, (await _builds.GetAsync(build, CancellationToken.None))!.State);
        Assert.DoesNotContain(await _builds.EventsAsync(build, CancellationToken.None), e => e.ToState == "building");
    }

    [Fact]
    public async Task A_record_whose_Message_ID_was_never_stored_counts_as_not_delivered()
    {
        var build = await AuditStoreSamples.AuditingBuildAsync(_builds, Unique("pending"));
        await _audit.AppendAsync(build, AuditEvent.BuildStart, 1, AuditStoreSamples.Compose(build), CancellationToken.None);
        var ex = await Assert.ThrowsAsync<PostgresException>(() =>
            _builds.TransitionAsync(build, BuildState.Auditing, BuildState.Building, null, null, null, CancellationToken.None));
        Assert.Equal("builds_audited_before_start", ex.ConstraintName);
    }

    [Fact]
    public async Task An_accepted_build_start_record_lets_the_build_start()
    {
        var build = await AuditStoreSamples.AuditingBuildAsync(_builds, Unique("ok"));
        var r = await _audit.AppendAsync(build, AuditEvent.BuildStart, 1, AuditStoreSamples.Compose(build), CancellationToken.None);
        await _audit.MarkAcceptedAsync(r.Seq, $"audit.{r.Seq}@test", DateTimeOffset.UtcNow, CancellationToken.None);
        Assert.True(await _builds.TransitionAsync(build, BuildState.Auditing, BuildState.Building, null, null, null, CancellationToken.None));
    }

    [Fact]
    public async Task Publishing_straight_from_auditing_also_needs_the_accepted_record()
    {
        var build = await AuditStoreSamples.AuditingBuildAsync(_builds, Unique("copy"));
        var ex = await Assert.ThrowsAsync<PostgresException>(() =>
            _builds.TransitionAsync(build, BuildState.Auditing, BuildState.Publishing, null, null, null, CancellationToken.None));
        Assert.Equal($"build {build} cannot enter publishing: its build-start audit record was not accepted off-site", ex.MessageText);
    }

    [Fact]
    public async Task An_accepted_build_end_record_or_another_attempts_record_does_not_count()
    {
        var build = await AuditStoreSamples.AuditingBuildAsync(_builds, Unique("wrong"));
        var end = await _audit.AppendAsync(build, AuditEvent.BuildEnd, 1, AuditStoreSamples.Compose(build, AuditEvent.BuildEnd), CancellationToken.None);
        await _audit.MarkAcceptedAsync(end.Seq, $"audit.{end.Seq}@test", DateTimeOffset.UtcNow, CancellationToken.None);
        var old = await _audit.AppendAsync(build, AuditEvent.BuildStart, 0, AuditStoreSamples.Compose(build), CancellationToken.None);
        await _audit.MarkAcceptedAsync(old.Seq, $"audit.{old.Seq}@test", DateTimeOffset.UtcNow, CancellationToken.None);
        await Assert.ThrowsAsync<PostgresException>(() =>
            _builds.TransitionAsync(build, BuildState.Auditing, BuildState.Building, null, null, null, CancellationToken.None));
    }

    [Fact]
    public async Task Raw_SQL_cannot_bypass_the_invariant_either()
    {
        var build = await AuditStoreSamples.AuditingBuildAsync(_builds, Unique("raw"));
        await using var conn = await db.DataSource.OpenConnectionAsync();
        var ex = await Assert.ThrowsAsync<PostgresException>(() => conn.ExecuteAsync("UPDATE builds SET state = 'building' WHERE id = @build", new { build }));
        Assert.Equal("builds_audited_before_start", ex.ConstraintName);
        var insert = await Assert.ThrowsAsync<PostgresException>(() => conn.ExecuteAsync("""
            INSERT INTO builds (pocket, package, requester, key_fingerprint, acl_hash, request, signature, state)
            VALUES ('dev', 'sneaky', 'mallory', 'k', 'a', 'r', 's', 'building')
            """));
        Assert.Equal("builds_audited_before_start", insert.ConstraintName);
    }
}
