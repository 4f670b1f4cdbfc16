using System.Security.Cryptography;
using Dapper;
using Npgsql;

namespace Builder.Store.Builds;

/// <summary>
/// The signed provenance envelopes of published attempts (sql/0015). Rows are final (a trigger refuses UPDATE, DELETE
/// and TRUNCATE): the build-end audit record pins the envelope's hash, so the bytes served must stay those bytes.
/// </summary>
public sealed class ProvenanceRepository(NpgsqlDataSource dataSource)
{
    /// <summary>
    /// Stores the envelope of <paramref name="buildId"/>'s <paramref name="attempt"/> in the caller's transaction (the one
    /// that marks the build succeeded, so a published build never lacks the envelope its audit record names).
    /// <paramref name="sha256"/> must be <c>sha256:&lt;hex&gt;</c> of <paramref name="envelope"/>: checked, so the row
    /// cannot disagree with itself.
    /// </summary>
    public static async Task InsertAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, long buildId, int attempt,
        byte[] envelope, string sha256, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(envelope);
        var actual = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(envelope));
        if (!string.Equals(actual, sha256, StringComparison.Ordinal))
        {
            throw new ArgumentException($"provenance of build {buildId} attempt {attempt}: {sha256} is not the envelope's hash {actual}", nameof(sha256));
        }
        await connection.ExecuteAsync(new CommandDefinition("""
            INSERT INTO build_provenance (build_id, attempt, envelope, sha256) VALUES (@buildId, @attempt, @envelope, @sha256)
            """, new { buildId, attempt, envelope, sha256 }, transaction, cancellationToken: cancellationToken));
    }

    /// <summary>The envelope of the build's highest attempt that has one, or null.</summary>
    public async Task<StoredProvenance?> LatestAsync(long buildId, CancellationToken cancellationToken)
    {
        await using var conn = await dataSource.OpenConnectionAsync(cancellationToken);
        var row = await conn.QuerySingleOrDefaultAsync<Row>(new CommandDefinition("""
            SELECT build_id, attempt, envelope, sha256, created_at FROM build_provenance
            WHERE build_id = @buildId ORDER BY attempt DESC LIMIT 1
            """, new { buildId }, cancellationToken: cancellationToken));
        return row is null ? null : new StoredProvenance(row.Build_Id, row.Attempt, row.Envelope, row.Sha256, new DateTimeOffset(DateTime.SpecifyKind(row.Created_At, DateTimeKind.Utc)));
    }

    private sealed record Row(long Build_Id, int Attempt, byte[] Envelope, string Sha256, DateTime Created_At);
}
