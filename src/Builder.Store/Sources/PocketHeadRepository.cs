using Dapper;
using Npgsql;

namespace Builder.Store.Sources;

/// <summary>
/// pocket_heads and the cross-pocket lookup. <see cref="AdvanceAsync"/> runs inside the caller's
/// transaction, next to <c>BuildRepository.TransitionAsync(conn, tx, …, Succeeded, …)</c>, so a pocket
/// never moves without the build that moved it succeeding, and vice versa.
/// </summary>
public sealed class PocketHeadRepository(NpgsqlDataSource dataSource)
{
    private const string Columns = "pocket, package, commit_id AS CommitId, version, build_id AS BuildId, updated_at AS UpdatedAt";

    public async Task<PocketHead?> GetAsync(string pocket, string package, CancellationToken cancellationToken)
    {
        await using var conn = await dataSource.OpenConnectionAsync(cancellationToken);
        var row = await conn.QuerySingleOrDefaultAsync<Row>(new CommandDefinition(
            $"SELECT {Columns} FROM pocket_heads WHERE pocket = @pocket AND package = @package",
            new { pocket, package }, cancellationToken: cancellationToken));
        return row?.ToRecord();
    }

    /// <summary>Every package a pocket publishes, by name.</summary>
    public async Task<IReadOnlyList<PocketHead>> ListAsync(string pocket, CancellationToken cancellationToken)
    {
        await using var conn = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await conn.QueryAsync<Row>(new CommandDefinition(
            $"SELECT {Columns} FROM pocket_heads WHERE pocket = @pocket ORDER BY package",
            new { pocket }, cancellationToken: cancellationToken));
        return [.. rows.Select(r => r.ToRecord())];
    }

    /// <summary>
    /// Moves the head of <paramref name="package"/> in <paramref name="pocket"/> to the build's commit and version,
    /// inside the caller's transaction, but only from where the build's pocket rules saw it:
    /// <paramref name="expectedCommitId"/> is the head's commit then, or null when the pocket had no head.
    /// </summary>
    /// <returns>false when the head is no longer at <paramref name="expectedCommitId"/> (the caller should roll back).</returns>
    public static async Task<bool> AdvanceAsync(NpgsqlConnection conn, NpgsqlTransaction tx, string pocket, string package,
        string? expectedCommitId, string commitId, string version, long buildId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(conn);
        var args = new { pocket, package, expectedCommitId, commitId, version, buildId };
        var changed = expectedCommitId is null
            // No head yet: a concurrent first publish makes the insert conflict, and nothing changes.
            ? await conn.ExecuteAsync(new CommandDefinition("""
                INSERT INTO pocket_heads (pocket, package, commit_id, version, build_id)
                VALUES (@pocket, @package, @commitId, @version, @buildId)
                ON CONFLICT (pocket, package) DO NOTHING
                """, args, tx, cancellationToken: cancellationToken))
            : await conn.ExecuteAsync(new CommandDefinition("""
                UPDATE pocket_heads SET commit_id = @commitId, version = @version, build_id = @buildId, updated_at = now()
                WHERE pocket = @pocket AND package = @package AND commit_id = @expectedCommitId
                """, args, tx, cancellationToken: cancellationToken));
        return changed == 1;
    }

    /// <summary>The newest succeeded build of exactly <paramref name="commitId"/> in <paramref name="pocket"/>, if any.</summary>
    public async Task<SucceededBuild?> FindSucceededAsync(string pocket, string package, string commitId, CancellationToken cancellationToken)
    {
        await using var conn = await dataSource.OpenConnectionAsync(cancellationToken);
        var row = await conn.QueryFirstOrDefaultAsync<SucceededRow>(new CommandDefinition("""
            SELECT id, pocket, package, commit_id AS CommitId, version, finished_at AS FinishedAt FROM builds
            WHERE state = 'succeeded' AND package = @package AND commit_id = @commitId AND pocket = @pocket
            ORDER BY id DESC LIMIT 1
            """, new { pocket, package, commitId }, cancellationToken: cancellationToken));
        return row?.ToRecord();
    }

    /// <summary>
    /// Every pocket in which <paramref name="commitId"/> of <paramref name="package"/> built successfully, newest build
    /// per pocket first, except <paramref name="exceptPocket"/>: where the pipeline can copy the binaries from.
    /// </summary>
    public async Task<IReadOnlyList<SucceededBuild>> FindSucceededElsewhereAsync(string package, string commitId, string exceptPocket, CancellationToken cancellationToken)
    {
        await using var conn = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await conn.QueryAsync<SucceededRow>(new CommandDefinition("""
            SELECT DISTINCT ON (pocket) id, pocket, package, commit_id AS CommitId, version, finished_at AS FinishedAt FROM builds
            WHERE state = 'succeeded' AND package = @package AND commit_id = @commitId AND pocket <> @exceptPocket
            ORDER BY pocket, id DESC
            """, new { package, commitId, exceptPocket }, cancellationToken: cancellationToken));
        return [.. rows.Select(r => r.ToRecord()).OrderByDescending(b => b.BuildId)];
    }

    private sealed record Row(string Pocket, string Package, string CommitId, string Version, long BuildId, DateTime UpdatedAt)
    {
        public PocketHead ToRecord() => new(Pocket, Package, CommitId, Version, BuildId, Utc(UpdatedAt));
    }

    private sealed record SucceededRow(long Id, string Pocket, string Package, string CommitId, string Version, DateTime FinishedAt)
    {
        public SucceededBuild ToRecord() => new(Id, Pocket, Package, CommitId, Version, Utc(FinishedAt));
    }

    private static DateTimeOffset Utc(DateTime t) => new(DateTime.SpecifyKind(t, DateTimeKind.Utc));
}
