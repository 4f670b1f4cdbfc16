using Builder.Core.Audit;
using Builder.Core.Builds;
using Dapper;
using Npgsql;

namespace Builder.Store.Audit;

/// <summary>
/// The audit chain in PostgreSQL. <c>AppendAsync</c> is the one way to add a record: it locks the chain
/// head, lets the caller write the record for the next seq, and inserts it in the same transaction (the
/// audit_records_append trigger re-checks that the record extends the head and moves it).
/// </summary>
public sealed class AuditRepository(NpgsqlDataSource dataSource)
{
    // Arbitrary constant shared by every builderd: "auditdl" (audit delivery lock) in ASCII.
    private const long DeliveryLockKey = 0x61756469746463;

    private const string Columns = """
        seq, prev, hash, record, build_id, build_attempt, event, created_at, message_id, accepted_at,
        attempts, next_attempt_at, last_error, held_at
        """;

    /// <summary>
    /// Returns the record of (build, event, attempt), writing it first if there is none: <paramref name="compose"/>
    /// gets the next seq and the head's hash and returns the record for them.
    /// </summary>
    public async Task<StoredAuditRecord> AppendAsync(long buildId, AuditEvent auditEvent, int buildAttempt,
        Func<long, string, AuditRecord> compose, CancellationToken cancellationToken)
    {
        await using var conn = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var tx = await conn.BeginTransactionAsync(cancellationToken);
        var record = await AppendAsync(conn, tx, buildId, auditEvent, buildAttempt, compose, cancellationToken);
        await tx.CommitAsync(cancellationToken);
        return record;
    }

    /// <summary>
    /// <see cref="AppendAsync(long, AuditEvent, int, Func{long, string, AuditRecord}, CancellationToken)"/> inside the
    /// caller's transaction, so a build-end record commits together with the build's final state, or not at all. The
    /// head stays locked until that transaction ends.
    /// </summary>
    public static async Task<StoredAuditRecord> AppendAsync(NpgsqlConnection conn, NpgsqlTransaction tx, long buildId, AuditEvent auditEvent,
        int buildAttempt, Func<long, string, AuditRecord> compose, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(conn);
        ArgumentNullException.ThrowIfNull(compose);
        var eventName = AuditFields.EventName(auditEvent);
        var head = await conn.QuerySingleAsync<(long Seq, string Hash)>(new CommandDefinition(
            "SELECT seq, hash FROM audit_chain_head FOR UPDATE", transaction: tx, cancellationToken: cancellationToken));
        // Checked under the head lock: a concurrent append for the same build has committed or not started.
        var existing = await conn.QuerySingleOrDefaultAsync<Row>(new CommandDefinition(
            $"SELECT {Columns} FROM audit_records WHERE build_id = @buildId AND event = @eventName AND build_attempt = @buildAttempt",
            new { buildId, eventName, buildAttempt }, tx, cancellationToken: cancellationToken));
        if (existing is not null)
        {
            return existing.ToRecord();
        }
        var record = compose(head.Seq + 1, head.Hash);
        if (record.Seq != head.Seq + 1 || record.Prev != head.Hash || record.Build != buildId || record.Event != auditEvent)
        {
            throw new InvalidOperationException($"the composed audit record (seq {record.Seq}, build {record.Build}) does not extend the chain head (seq {head.Seq})");
        }
        var text = AuditRecordFormat.Serialize(record);
        var row = await conn.QuerySingleAsync<Row>(new CommandDefinition($"""
            INSERT INTO audit_records (seq, prev, hash, record, build_id, build_attempt, event)
            VALUES (@seq, @prev, @hash, @text, @buildId, @buildAttempt, @eventName)
            RETURNING {Columns}
            """, new { seq = record.Seq, prev = record.Prev, hash = AuditRecordFormat.Hash(text), text, buildId, buildAttempt, eventName },
            tx, cancellationToken: cancellationToken));
        return row.ToRecord();
    }

    /// <summary>
    /// <see cref="AppendInterruptedEndAsync(NpgsqlConnection, NpgsqlTransaction, long, int, AuditStamp, CancellationToken)"/>
    /// in its own transaction.
    /// </summary>
    public async Task<StoredAuditRecord?> AppendInterruptedEndAsync(long buildId, int buildAttempt, AuditStamp stamp, CancellationToken cancellationToken)
    {
        await using var conn = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var tx = await conn.BeginTransactionAsync(cancellationToken);
        var record = await AppendInterruptedEndAsync(conn, tx, buildId, buildAttempt, stamp, cancellationToken);
        await tx.CommitAsync(cancellationToken);
        return record;
    }

    /// <summary>
    /// Closes an attempt that its daemon did not live to end, inside the caller's transaction (the one that fails it
    /// as interrupted): when the attempt has a build-start record, its build-end record follows with result failed,
    /// failed-stage interrupted, the start record's facts and format version, and no artifacts. Returns null when the
    /// attempt was never audited (nothing to close), else the build-end record (written now or before).
    /// </summary>
    public static async Task<StoredAuditRecord?> AppendInterruptedEndAsync(NpgsqlConnection conn, NpgsqlTransaction tx, long buildId, int buildAttempt,
        AuditStamp stamp, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(conn);
        ArgumentNullException.ThrowIfNull(stamp);
        var startText = await conn.ExecuteScalarAsync<string?>(new CommandDefinition(
            "SELECT record FROM audit_records WHERE build_id = @buildId AND event = 'build-start' AND build_attempt = @buildAttempt",
            new { buildId, buildAttempt }, tx, cancellationToken: cancellationToken));
        if (startText is null)
        {
            return null;
        }
        // A parsed record carries the version it was written in; 'with' keeps it, and so keeps the end writable.
        var start = AuditRecordFormat.Parse(System.Text.Encoding.ASCII.GetBytes(startText));
        return await AppendAsync(conn, tx, buildId, AuditEvent.BuildEnd, buildAttempt, (seq, prev) => start with
        {
            Seq = seq,
            Prev = prev,
            Event = AuditEvent.BuildEnd,
            Host = stamp.Host,
            Time = stamp.Time,
            Result = AuditResult.Failed,
            FailedStage = BuildStages.Interrupted,
            Artifacts = [],
            CompileJobs = null,
        }, cancellationToken);
    }

    /// <summary>
    /// Appends a checkpoint: <paramref name="compose"/> gets the next seq and the head's hash, which the checkpoint
    /// certifies. Under the same head lock as every append, so it takes its place in the chain like any record.
    /// </summary>
    public async Task<StoredAuditRecord> AppendCheckpointAsync(Func<long, string, AuditRecord> compose, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(compose);
        await using var conn = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var tx = await conn.BeginTransactionAsync(cancellationToken);
        var head = await conn.QuerySingleAsync<(long Seq, string Hash)>(new CommandDefinition(
            "SELECT seq, hash FROM audit_chain_head FOR UPDATE", transaction: tx, cancellationToken: cancellationToken));
        var record = compose(head.Seq + 1, head.Hash);
        if (record.Seq != head.Seq + 1 || record.Prev != head.Hash || record.Event != AuditEvent.Checkpoint)
        {
            throw new InvalidOperationException($"the composed checkpoint (seq {record.Seq}) does not extend the chain head (seq {head.Seq})");
        }
        var text = AuditRecordFormat.Serialize(record);
        var row = await conn.QuerySingleAsync<Row>(new CommandDefinition($"""
            INSERT INTO audit_records (seq, prev, hash, record, build_id, build_attempt, event)
            VALUES (@seq, @prev, @hash, @text, NULL, NULL, @eventName)
            RETURNING {Columns}
            """, new { seq = record.Seq, prev = record.Prev, hash = AuditRecordFormat.Hash(text), text, eventName = AuditFields.CheckpointEvent },
            tx, cancellationToken: cancellationToken));
        await tx.CommitAsync(cancellationToken);
        return row.ToRecord();
    }

    public async Task<StoredAuditRecord?> GetAsync(long seq, CancellationToken cancellationToken)
    {
        await using var conn = await dataSource.OpenConnectionAsync(cancellationToken);
        var row = await conn.QuerySingleOrDefaultAsync<Row>(new CommandDefinition(
            $"SELECT {Columns} FROM audit_records WHERE seq = @seq", new { seq }, cancellationToken: cancellationToken));
        return row?.ToRecord();
    }

    public async Task<StoredAuditRecord?> FindAsync(long buildId, AuditEvent auditEvent, int buildAttempt, CancellationToken cancellationToken)
    {
        await using var conn = await dataSource.OpenConnectionAsync(cancellationToken);
        var row = await conn.QuerySingleOrDefaultAsync<Row>(new CommandDefinition(
            $"SELECT {Columns} FROM audit_records WHERE build_id = @buildId AND event = @eventName AND build_attempt = @buildAttempt",
            new { buildId, eventName = AuditFields.EventName(auditEvent), buildAttempt }, cancellationToken: cancellationToken));
        return row?.ToRecord();
    }

    /// <summary>Records from <paramref name="fromSeq"/> on, in seq order (what GET /api/v1/audit/records serves).</summary>
    public async Task<IReadOnlyList<StoredAuditRecord>> ListAsync(long fromSeq, int limit, CancellationToken cancellationToken)
    {
        await using var conn = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await conn.QueryAsync<Row>(new CommandDefinition(
            $"SELECT {Columns} FROM audit_records WHERE seq >= @fromSeq ORDER BY seq LIMIT @limit",
            new { fromSeq, limit }, cancellationToken: cancellationToken));
        return [.. rows.Select(r => r.ToRecord())];
    }

    /// <summary>Undelivered records up to <paramref name="uptoSeq"/> (all when null), lowest seq first.</summary>
    public async Task<IReadOnlyList<StoredAuditRecord>> PendingAsync(long? uptoSeq, CancellationToken cancellationToken)
    {
        await using var conn = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await conn.QueryAsync<Row>(new CommandDefinition($"""
            SELECT {Columns} FROM audit_records
            WHERE message_id IS NULL AND (@uptoSeq::bigint IS NULL OR seq <= @uptoSeq)
            ORDER BY seq
            """, new { uptoSeq }, cancellationToken: cancellationToken));
        return [.. rows.Select(r => r.ToRecord())];
    }

    public async Task MarkAcceptedAsync(long seq, string messageId, DateTimeOffset acceptedAt, CancellationToken cancellationToken)
    {
        await using var conn = await dataSource.OpenConnectionAsync(cancellationToken);
        await conn.ExecuteAsync(new CommandDefinition("""
            UPDATE audit_records SET message_id = @messageId, accepted_at = @acceptedAt, last_error = NULL, held_at = NULL
            WHERE seq = @seq AND message_id IS NULL
            """, new { seq, messageId, acceptedAt = acceptedAt.UtcDateTime }, cancellationToken: cancellationToken));
    }

    /// <summary>Counts a failed delivery attempt and schedules the next; returns the attempts so far.</summary>
    public async Task<int> MarkFailedAsync(long seq, string error, DateTimeOffset nextAttemptAt, CancellationToken cancellationToken)
    {
        await using var conn = await dataSource.OpenConnectionAsync(cancellationToken);
        return await conn.ExecuteScalarAsync<int>(new CommandDefinition("""
            UPDATE audit_records SET attempts = attempts + 1, last_error = @error, next_attempt_at = @nextAttemptAt
            WHERE seq = @seq RETURNING attempts
            """, new { seq, error, nextAttemptAt = nextAttemptAt.UtcDateTime }, cancellationToken: cancellationToken));
    }

    /// <summary>A permanent failure: no automatic retries until <see cref="ReleaseAsync"/>.</summary>
    public async Task<int> MarkHeldAsync(long seq, string error, DateTimeOffset heldAt, CancellationToken cancellationToken)
    {
        await using var conn = await dataSource.OpenConnectionAsync(cancellationToken);
        return await conn.ExecuteScalarAsync<int>(new CommandDefinition("""
            UPDATE audit_records SET attempts = attempts + 1, last_error = @error, held_at = @heldAt
            WHERE seq = @seq RETURNING attempts
            """, new { seq, error, heldAt = heldAt.UtcDateTime }, cancellationToken: cancellationToken));
    }

    /// <summary>An admin fixed the cause of a permanent failure: retry from now.</summary>
    public async Task<bool> ReleaseAsync(long seq, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var conn = await dataSource.OpenConnectionAsync(cancellationToken);
        return await conn.ExecuteAsync(new CommandDefinition(
            "UPDATE audit_records SET held_at = NULL, next_attempt_at = @now WHERE seq = @seq AND held_at IS NOT NULL AND message_id IS NULL",
            new { seq, now = now.UtcDateTime }, cancellationToken: cancellationToken)) == 1;
    }

    /// <summary>
    /// Serializes delivery across daemons (a session advisory lock on its own connection), so records leave in
    /// seq order and no record is sent by two daemons at once. Dispose to release.
    /// </summary>
    public async Task<IAsyncDisposable> LockDeliveryAsync(CancellationToken cancellationToken)
    {
        var conn = await dataSource.OpenConnectionAsync(cancellationToken);
        try
        {
            await conn.ExecuteAsync(new CommandDefinition("SELECT pg_advisory_lock(@k)", new { k = DeliveryLockKey }, cancellationToken: cancellationToken));
            return new DeliveryLock(conn);
        }
        catch
        {
            await conn.DisposeAsync();
            throw;
        }
    }

    private sealed class DeliveryLock(NpgsqlConnection conn) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            try
            {
                await conn.ExecuteAsync(new CommandDefinition("SELECT pg_advisory_unlock(@k)", new { k = DeliveryLockKey }, cancellationToken: CancellationToken.None));
            }
            finally
            {
                // Closing the session releases the lock even if the unlock failed.
                await conn.DisposeAsync();
            }
        }
    }

    private sealed record Row(
        long Seq, string Prev, string Hash, string Record, long? Build_Id, int? Build_Attempt, string Event, DateTime Created_At,
        string? Message_Id, DateTime? Accepted_At, int Attempts, DateTime Next_Attempt_At, string? Last_Error, DateTime? Held_At)
    {
        public StoredAuditRecord ToRecord() => new(
            Seq, Prev, Hash, Record, Build_Id, Build_Attempt, Event, Utc(Created_At), Message_Id, Utc(Accepted_At), Attempts,
            Utc(Next_Attempt_At), Last_Error, Utc(Held_At));

        private static DateTimeOffset Utc(DateTime t) => new(DateTime.SpecifyKind(t, DateTimeKind.Utc));

        private static DateTimeOffset? Utc(DateTime? t) => t is { } v ? Utc(v) : null;
    }
}
