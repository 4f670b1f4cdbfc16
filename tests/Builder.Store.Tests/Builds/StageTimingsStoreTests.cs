using Builder.Core.Audit;
using Builder.Core.Builds;
using Builder.Store.Audit;
using Builder.Store.Builds;
using Builder.Store.Tests.Audit;
using Builder.Tests.Common;
using Dapper;

namespace Builder.Store.Tests.Builds;

[Trait(Categories.Name, Categories.Integration)]
public sealed class StageTimingsStoreTests(PostgresDatabase db) : IClassFixture<PostgresDatabase>
{
    private readonly BuildRepository _builds = new(db.DataSource);
    private readonly AuditRepository _audit = new(db.DataSource);
    private static readonly DateTimeOffset T0 = new(2026, 11, 23, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Timings_come_from_the_transitions_the_accepted_start_record_and_the_VM_boot_figure()
    {
        var id = await AuditStoreSamples.AuditingBuildAsync(_builds, "timed-" + Guid.NewGuid().ToString("N")[..8]);
        var start = await _audit.AppendAsync(id, AuditEvent.BuildStart, 1, AuditStoreSamples.Compose(id), CancellationToken.None);
        await _audit.MarkAcceptedAsync(start.Seq, $"audit.{start.Seq}@test", T0.AddSeconds(8.6), CancellationToken.None);
        await _builds.AddNoteAsync(id, "a note is not a stage", CancellationToken.None);
        Assert.True(await _builds.TransitionAsync(id, BuildState.Auditing, BuildState.Building, null, null, null, CancellationToken.None));
        await _builds.SetVmBootAsync(id, TimeSpan.FromSeconds(14), CancellationToken.None);
        Assert.True(await _builds.TransitionAsync(id, BuildState.Building, BuildState.Publishing, null, null, null, CancellationToken.None));
        await _audit.AppendAsync(id, AuditEvent.BuildEnd, 1, AuditStoreSamples.Compose(id, AuditEvent.BuildEnd), CancellationToken.None);
        Assert.True(await _builds.TransitionAsync(id, BuildState.Publishing, BuildState.Succeeded, null, null, null, CancellationToken.None));
        // The events' own times are the database's clock; set them to known values.
        await SetEventTimesAsync(id, ("preparing", 2), ("auditing", 8), ("building", 9.5), ("publishing", 119.5), ("succeeded", 121));

        var timings = await _builds.StageTimingsAsync(id, CancellationToken.None);

        Assert.Equal("prepare 6.0 s, audit 0.6 s, boot 14.0 s, build 96.0 s, publish 1.5 s", timings!.Describe());
    }

    [Fact]
    public async Task A_new_attempt_clears_the_previous_attempts_VM_boot_and_audit_figures()
    {
        var id = await AuditStoreSamples.AuditingBuildAsync(_builds, "retimed-" + Guid.NewGuid().ToString("N")[..8]);
        var start = await _audit.AppendAsync(id, AuditEvent.BuildStart, 1, AuditStoreSamples.Compose(id), CancellationToken.None);
        await _audit.MarkAcceptedAsync(start.Seq, $"audit.{start.Seq}@test", DateTimeOffset.UtcNow, CancellationToken.None);
        Assert.True(await _builds.TransitionAsync(id, BuildState.Auditing, BuildState.Building, null, null, null, CancellationToken.None));
        await _builds.SetVmBootAsync(id, TimeSpan.FromSeconds(14), CancellationToken.None);
        await _audit.AppendAsync(id, AuditEvent.BuildEnd, 1, AuditStoreSamples.Compose(id, AuditEvent.BuildEnd), CancellationToken.None);
        Assert.True(await _builds.TransitionAsync(id, BuildState.Building, BuildState.Failed, BuildStages.Interrupted, "killed", null, CancellationToken.None));
        Assert.True(await _builds.TransitionAsync(id, BuildState.Failed, BuildState.Queued, null, null, null, CancellationToken.None));
        Assert.True(await _builds.TransitionAsync(id, BuildState.Queued, BuildState.Preparing, null, null, null, CancellationToken.None));
        Assert.True(await _builds.TransitionAsync(id, BuildState.Preparing, BuildState.Auditing, null, null, null, CancellationToken.None));

        var timings = (await _builds.StageTimingsAsync(id, CancellationToken.None))!;

        Assert.NotNull(timings.Prepare);
        Assert.Null(timings.Audit);
        Assert.Null(timings.Boot);
        Assert.Null(timings.Build);
        Assert.Null(await _builds.StageTimingsAsync(long.MaxValue, CancellationToken.None));
    }

    private async Task SetEventTimesAsync(long id, params (string ToState, double Seconds)[] times)
    {
        await using var conn = await db.DataSource.OpenConnectionAsync();
        foreach (var (state, seconds) in times)
        {
            await conn.ExecuteAsync("UPDATE build_events SET at = @at WHERE build_id = @id AND to_state = @state AND from_state IS DISTINCT FROM to_state",
                new { id, state, at = T0.AddSeconds(seconds).UtcDateTime });
        }
    }
}
