using Npgsql;
using NpgsqlTypes;

namespace Builder.Store.Farm;

/// <summary>The compile_jobs table: the gateway's records, written in batches with binary COPY.</summary>
public sealed class CompileJobRepository(NpgsqlDataSource dataSource)
{
    private const string Columns =
        "build_id, seq, started_at, duration_ms, farm_ms, outcome, compiler, argv, input_sha256, output_sha256, host, attempts, status, reason, build_attempt, pool";

    /// <summary>One COPY per batch, in one transaction: a batch is stored whole or not at all.</summary>
    public async Task WriteAsync(IReadOnlyList<CompileJobRow> batch, CancellationToken cancellationToken)
    {
        if (batch.Count == 0)
        {
            return;
        }
        await using var conn = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var tx = await conn.BeginTransactionAsync(cancellationToken);
        await using (var copy = await conn.BeginBinaryImportAsync($"COPY compile_jobs ({Columns}) FROM STDIN (FORMAT BINARY)", cancellationToken))
        {
            foreach (var r in batch)
            {
                await copy.StartRowAsync(cancellationToken);
                await copy.WriteAsync(r.BuildId, NpgsqlDbType.Bigint, cancellationToken);
                await copy.WriteAsync(r.Seq, NpgsqlDbType.Integer, cancellationToken);
                await copy.WriteAsync(r.StartedAt.UtcDateTime, NpgsqlDbType.TimestampTz, cancellationToken);
                await copy.WriteAsync(r.DurationMs, NpgsqlDbType.Integer, cancellationToken);
                await WriteNullableAsync(copy, r.FarmMs, NpgsqlDbType.Integer, cancellationToken);
                await copy.WriteAsync(r.Outcome, NpgsqlDbType.Text, cancellationToken);
                await WriteNullableAsync(copy, r.Compiler, NpgsqlDbType.Text, cancellationToken);
                await copy.WriteAsync(r.Argv.ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Text, cancellationToken);
                await WriteNullableAsync(copy, r.InputSha256, NpgsqlDbType.Text, cancellationToken);
                await WriteNullableAsync(copy, r.OutputSha256, NpgsqlDbType.Text, cancellationToken);
                await WriteNullableAsync(copy, r.Host, NpgsqlDbType.Text, cancellationToken);
                await copy.WriteAsync(r.Attempts, NpgsqlDbType.Integer, cancellationToken);
                await WriteNullableAsync<long?>(copy, r.Status is { } s ? s : null, NpgsqlDbType.Bigint, cancellationToken);
                await WriteNullableAsync(copy, r.Reason, NpgsqlDbType.Text, cancellationToken);
                await copy.WriteAsync(r.BuildAttempt, NpgsqlDbType.Integer, cancellationToken);
                await WriteNullableAsync(copy, r.Pool, NpgsqlDbType.Text, cancellationToken);
            }
            await copy.CompleteAsync(cancellationToken);
        }
        await tx.CommitAsync(cancellationToken);
    }

    /// <summary>The records of one attempt of a build in seq order (what that attempt's digest is computed over).</summary>
    public async Task<IReadOnlyList<CompileJobRow>> ListAsync(long buildId, CancellationToken cancellationToken, int buildAttempt = 1)
    {
        await using var conn = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var cmd = new NpgsqlCommand($"SELECT {Columns} FROM compile_jobs WHERE build_id = @b AND build_attempt = @a ORDER BY seq", conn);
        cmd.Parameters.AddWithValue("b", buildId);
        cmd.Parameters.AddWithValue("a", buildAttempt);
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
        var records = new List<CompileJobRow>();
        while (await reader.ReadAsync(cancellationToken))
        {
            records.Add(new CompileJobRow(
                reader.GetInt64(0),
                reader.GetInt32(1),
                new DateTimeOffset(DateTime.SpecifyKind(reader.GetDateTime(2), DateTimeKind.Utc)),
                reader.GetInt32(3),
                reader.IsDBNull(4) ? null : reader.GetInt32(4),
                reader.GetString(5),
                reader.IsDBNull(6) ? null : reader.GetString(6),
                reader.GetFieldValue<string[]>(7),
                reader.IsDBNull(8) ? null : reader.GetString(8),
                reader.IsDBNull(9) ? null : reader.GetString(9),
                reader.IsDBNull(10) ? null : reader.GetString(10),
                reader.GetInt32(11),
                reader.IsDBNull(12) ? null : (uint)reader.GetInt64(12),
                reader.IsDBNull(13) ? null : reader.GetString(13),
                reader.GetInt32(14),
                reader.IsDBNull(15) ? null : reader.GetString(15)));
        }
        return records;
    }

    /// <summary>
    /// Deletes the records of every build that finished before <paramref name="cutoff"/>, a few builds per transaction
    /// (so a first sweep over years of rows holds no long lock), and returns how many rows went.
    /// </summary>
    public async Task<long> DeleteOfBuildsFinishedBeforeAsync(DateTimeOffset cutoff, CancellationToken cancellationToken, int buildsPerBatch = 50)
    {
        await using var conn = await dataSource.OpenConnectionAsync(cancellationToken);
        long total = 0;
        while (true)
        {
            await using var cmd = new NpgsqlCommand("""
                WITH due AS (
                    SELECT b.id FROM builds b
                    WHERE b.finished_at < @cutoff AND EXISTS (SELECT 1 FROM compile_jobs c WHERE c.build_id = b.id)
                    ORDER BY b.finished_at
                    LIMIT @n)
                DELETE FROM compile_jobs c USING due WHERE c.build_id = due.id
                """, conn);
            cmd.Parameters.AddWithValue("cutoff", cutoff.UtcDateTime);
            cmd.Parameters.AddWithValue("n", buildsPerBatch);
            var rows = await cmd.ExecuteNonQueryAsync(cancellationToken);
            if (rows == 0)
            {
                return total;
            }
            total += rows;
        }
    }

    private static async Task WriteNullableAsync<T>(NpgsqlBinaryImporter copy, T? value, NpgsqlDbType type, CancellationToken cancellationToken)
    {
        if (value is null)
        {
            await copy.WriteNullAsync(cancellationToken);
        }
        else
        {
            await copy.WriteAsync(value, type, cancellationToken);
        }
    }
}
