using System.Text;
using Builder.Core.Audit;
using Builder.Store.Audit;
using Builder.Store.Builds;
using Builder.Tests.Common;
using Dapper;
using Npgsql;

namespace Builder.Store.Tests.Audit;

/// <summary>Checkpoint rows (sql/0013): no build exactly for a checkpoint, appended like any record, as immutable as any.</summary>
[Trait(Categories.Name, Categories.Integration)]
public sealed class AuditCheckpointStoreTests(PostgresDatabase db) : IClassFixture<PostgresDatabase>
{
    private readonly BuildRepository _builds = new(db.DataSource);
    private readonly AuditRepository _audit = new(db.DataSource);

    private static readonly DateTimeOffset At = new(2026, 12, 3, 18, 0, 0, TimeSpan.Zero);

    private static string Unique(string prefix) => prefix + "-" + Guid.NewGuid().ToString("N")[..8];

    private Task<StoredAuditRecord> CheckpointAsync() =>
        _audit.AppendCheckpointAsync((seq, prev) => AuditRecord.Checkpoint(seq, prev, "builder1", At), CancellationToken.None);

    [Fact]
    public async Task A_checkpoint_extends_the_head_without_a_build_and_certifies_the_record_before_it()
    {
        var build = await AuditStoreSamples.AuditingBuildAsync(_builds, Unique("cp"));
        var start = await _audit.AppendAsync(build, AuditEvent.BuildStart, 1, AuditStoreSamples.Compose(build), CancellationToken.None);

        var checkpoint = await CheckpointAsync();

        Assert.Equal((start.Seq + 1, start.Hash, (long?)null, (int?)null, "checkpoint"),
            (checkpoint.Seq, checkpoint.Prev, checkpoint.BuildId, checkpoint.BuildAttempt, checkpoint.Event));
        var record = AuditRecordFormat.Parse(Encoding.ASCII.GetBytes(checkpoint.Record));
        Assert.Equal((AuditEvent.Checkpoint, start.Hash), (record.Event, record.Prev));
        Assert.Equal(checkpoint.Seq, (await _audit.PendingAsync(null, CancellationToken.None)).Single(r => r.Seq == checkpoint.Seq).Seq);
    }

    [Fact]
    public async Task Raw_SQL_cannot_give_a_checkpoint_a_build_nor_take_the_build_from_a_build_record()
    {
        var build = await AuditStoreSamples.AuditingBuildAsync(_builds, Unique("raw"));
        await using var conn = await db.DataSource.OpenConnectionAsync();
        var head = await conn.QuerySingleAsync<(long Seq, string Hash)>("SELECT seq, hash FROM audit_chain_head");
        var text = AuditRecordFormat.Serialize(AuditRecord.Checkpoint(head.Seq + 1, head.Hash, "builder1", At));
        const string Insert = """
            INSERT INTO audit_records (seq, prev, hash, record, build_id, build_attempt, event)
            VALUES (@seq, @prev, @hash, @text, @build, @attempt, @ev)
            """;
        var row = new { seq = head.Seq + 1, prev = head.Hash, hash = AuditRecordFormat.Hash(text), text, build = (long?)build, attempt = (int?)1, ev = "checkpoint" };

        var withBuild = await Assert.ThrowsAsync<PostgresException>(() => conn.ExecuteAsync(Insert, row));
        var startWithoutBuild = await Assert.ThrowsAsync<PostgresException>(() => conn.ExecuteAsync(Insert, row with { build = null, attempt = null, ev = "build-start" }));

        Assert.Equal(("audit_records_build_unless_checkpoint", PostgresErrorCodes.CheckViolation), (withBuild.ConstraintName, withBuild.SqlState));
        Assert.Equal("audit_records_build_unless_checkpoint", startWithoutBuild.ConstraintName);
        Assert.Equal(head, await conn.QuerySingleAsync<(long Seq, string Hash)>("SELECT seq, hash FROM audit_chain_head"));
    }

    [Fact]
    public async Task Raw_SQL_cannot_update_a_checkpoints_build_or_null_a_build_records_build()
    {
        var build = await AuditStoreSamples.AuditingBuildAsync(_builds, Unique("upd"));
        var start = await _audit.AppendAsync(build, AuditEvent.BuildStart, 1, AuditStoreSamples.Compose(build), CancellationToken.None);
        var checkpoint = await CheckpointAsync();
        await using var conn = await db.DataSource.OpenConnectionAsync();

        var give = await Assert.ThrowsAsync<PostgresException>(() => conn.ExecuteAsync(
            "UPDATE audit_records SET build_id = @build, build_attempt = 1, event = 'build-start' WHERE seq = @seq", new { build, seq = checkpoint.Seq }));
        var take = await Assert.ThrowsAsync<PostgresException>(() => conn.ExecuteAsync(
            "UPDATE audit_records SET build_id = NULL, build_attempt = NULL, event = 'checkpoint' WHERE seq = @seq", new { seq = start.Seq }));
        var giveOnlyAttempt = await Assert.ThrowsAsync<PostgresException>(() => conn.ExecuteAsync(
            "UPDATE audit_records SET build_attempt = 1 WHERE seq = @seq", new { seq = checkpoint.Seq }));

        // The immutability trigger runs before the row's CHECKs: a NULL compared with '<>' would have let these through.
        Assert.All(new[] { give, take, giveOnlyAttempt }, e => Assert.Equal("audit_records_append_only", e.ConstraintName));
        Assert.Null((await _audit.GetAsync(checkpoint.Seq, CancellationToken.None))!.BuildId);
    }
}
