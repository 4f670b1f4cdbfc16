using System.Text;
using Builder.Core.Audit;
using Builder.Store.Audit;
using Builder.Store.Builds;
using Builder.Tests.Common;
using Dapper;
using Npgsql;

namespace Builder.Store.Tests.Audit;

[Trait(Categories.Name, Categories.Integration)]
public sealed class AuditRepositoryTests(PostgresDatabase db) : IClassFixture<PostgresDatabase>
{
    private readonly BuildRepository _builds = new(db.DataSource);
    private readonly AuditRepository _audit = new(db.DataSource);

    [Fact]
    public async Task Appended_records_form_one_chain_from_genesis()
    {
        var build = await AuditStoreSamples.AuditingBuildAsync(_builds, "chain-" + Guid.NewGuid().ToString("N")[..8]);
        var start = await _audit.AppendAsync(build, AuditEvent.BuildStart, 1, AuditStoreSamples.Compose(build), CancellationToken.None);
        var end = await _audit.AppendAsync(build, AuditEvent.BuildEnd, 1, AuditStoreSamples.Compose(build, AuditEvent.BuildEnd), CancellationToken.None);
        Assert.Equal(start.Seq + 1, end.Seq);
        Assert.Equal(start.Hash, end.Prev);
        Assert.Equal(AuditRecordFormat.Hash(end.Record), end.Hash);
        var parsed = AuditRecordFormat.Parse(Encoding.ASCII.GetBytes(end.Record));
        Assert.Equal(end.Seq, parsed.Seq);
        Assert.Null(start.MessageId);
    }

    [Fact]
    public async Task Appending_the_same_build_event_and_attempt_again_returns_the_stored_record()
    {
        var build = await AuditStoreSamples.AuditingBuildAsync(_builds, "again-" + Guid.NewGuid().ToString("N")[..8]);
        var first = await _audit.AppendAsync(build, AuditEvent.BuildStart, 1, AuditStoreSamples.Compose(build), CancellationToken.None);
        var second = await _audit.AppendAsync(build, AuditEvent.BuildStart, 1, (_, _) => throw new InvalidOperationException("must not compose"), CancellationToken.None);
        Assert.Equal(first.Seq, second.Seq);
        Assert.Equal(first.Hash, second.Hash);
    }

    [Fact]
    public async Task Concurrent_appends_from_separate_data_sources_never_fork_the_chain()
    {
        // Two "daemons": separate pools on one database, many appends racing.
        await using var other = NpgsqlDataSource.Create(db.ConnectionString);
        var repos = new[] { _audit, new AuditRepository(other) };
        var builds = new List<long>();
        for (var i = 0; i < 16; i++)
        {
            builds.Add(await AuditStoreSamples.AuditingBuildAsync(_builds, $"race{i}-" + Guid.NewGuid().ToString("N")[..8]));
        }
        var appended = await Task.WhenAll(builds.Select((b, i) =>
            repos[i % 2].AppendAsync(b, AuditEvent.BuildStart, 1, AuditStoreSamples.Compose(b), CancellationToken.None)));
        Assert.Equal(appended.Length, appended.Select(r => r.Seq).Distinct().Count());

        var all = await _audit.ListAsync(1, 10_000, CancellationToken.None);
        for (var i = 0; i < all.Count; i++)
        {
            Assert.Equal(i + 1, all[i].Seq);
            Assert.Equal(i == 0 ? "genesis" : all[i - 1].Hash, all[i].Prev);
        }
    }

    [Fact]
    public async Task A_record_that_does_not_extend_the_head_is_refused_by_the_database()
    {
        var build = await AuditStoreSamples.AuditingBuildAsync(_builds, "skip-" + Guid.NewGuid().ToString("N")[..8]);
        await using var conn = await db.DataSource.OpenConnectionAsync();
        var head = await conn.QuerySingleAsync<(long Seq, string Hash)>("SELECT seq, hash FROM audit_chain_head");
        var record = AuditStoreSamples.Compose(build)(head.Seq + 2, "sha256:" + new string('0', 64));
        var text = AuditRecordFormat.Serialize(record);
        var ex = await Assert.ThrowsAsync<PostgresException>(() => conn.ExecuteAsync(
            "INSERT INTO audit_records (seq, prev, hash, record, build_id, build_attempt, event) VALUES (@seq, @prev, @hash, @text, @build, 1, 'build-start')",
            new { seq = record.Seq, prev = record.Prev, hash = AuditRecordFormat.Hash(text), text, build }));
        Assert.Equal("audit_records_extend_head", ex.ConstraintName);
    }

    [Fact]
    public async Task Stored_records_cannot_be_edited_or_deleted_and_a_stored_Message_ID_is_final()
    {
        var build = await AuditStoreSamples.AuditingBuildAsync(_builds, "immutable-" + Guid.NewGuid().ToString("N")[..8]);
        var r = await _audit.AppendAsync(build, AuditEvent.BuildStart, 1, AuditStoreSamples.Compose(build), CancellationToken.None);
        await _audit.MarkAcceptedAsync(r.Seq, "audit.test@example", DateTimeOffset.UtcNow, CancellationToken.None);
        await using var conn = await db.DataSource.OpenConnectionAsync();
        foreach (var sql in new[]
                 {
                     "UPDATE audit_records SET record = record || 'x' WHERE seq = @seq",
                     "UPDATE audit_records SET message_id = 'other@example' WHERE seq = @seq",
                     "DELETE FROM audit_records WHERE seq = @seq",
                 })
        {
            var ex = await Assert.ThrowsAsync<PostgresException>(() => conn.ExecuteAsync(sql, new { seq = r.Seq }));
            Assert.Equal("audit_records_append_only", ex.ConstraintName);
        }
        Assert.Equal("audit.test@example", (await _audit.GetAsync(r.Seq, CancellationToken.None))!.MessageId);
    }

    [Fact]
    public async Task Failed_and_held_deliveries_are_counted_and_released()
    {
        var build = await AuditStoreSamples.AuditingBuildAsync(_builds, "held-" + Guid.NewGuid().ToString("N")[..8]);
        var r = await _audit.AppendAsync(build, AuditEvent.BuildStart, 1, AuditStoreSamples.Compose(build), CancellationToken.None);
        var next = new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero);
        Assert.Equal(1, await _audit.MarkFailedAsync(r.Seq, "connection refused", next, CancellationToken.None));
        Assert.Equal(2, await _audit.MarkHeldAsync(r.Seq, "550 mailbox unavailable", next, CancellationToken.None));
        var held = (await _audit.GetAsync(r.Seq, CancellationToken.None))!;
        Assert.True(held.Held);
        Assert.Equal("550 mailbox unavailable", held.LastError);
        Assert.Contains(await _audit.PendingAsync(r.Seq, CancellationToken.None), p => p.Seq == r.Seq);
        Assert.True(await _audit.ReleaseAsync(r.Seq, next, CancellationToken.None));
        Assert.False((await _audit.GetAsync(r.Seq, CancellationToken.None))!.Held);
    }
}
