using Dapper;

namespace Builder.Store.Builds;

public sealed partial class BuildRepository
{
    /// <summary>Replaces the build-dependencies recorded for this attempt (a re-prepared attempt resolves them anew).</summary>
    public async Task SetBuildDependenciesAsync(long id, int attempt, IReadOnlyList<BuildDependencyRecord> dependencies, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dependencies);
        await using var conn = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var tx = await conn.BeginTransactionAsync(cancellationToken);
        await conn.ExecuteAsync(new CommandDefinition(
            "DELETE FROM build_dependencies WHERE build_id = @id AND attempt = @attempt", new { id, attempt }, tx, cancellationToken: cancellationToken));
        await conn.ExecuteAsync(new CommandDefinition("""
            INSERT INTO build_dependencies (build_id, attempt, position, name, version, architecture, origin, sha256)
            VALUES (@id, @attempt, @Position, @Name, @Version, @Architecture, @Origin, @Sha256)
            """,
            dependencies.Select((d, i) => new { id, attempt, Position = i, d.Name, d.Version, d.Architecture, d.Origin, d.Sha256 }),
            tx, cancellationToken: cancellationToken));
        await tx.CommitAsync(cancellationToken);
    }

    /// <summary>The build-dependencies of the build's latest attempt that recorded any, in resolution order.</summary>
    public async Task<IReadOnlyList<BuildDependencyRecord>> BuildDependenciesAsync(long id, CancellationToken cancellationToken)
    {
        await using var conn = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await conn.QueryAsync<BuildDependencyRecord>(new CommandDefinition("""
            SELECT name AS Name, version AS Version, architecture AS Architecture, origin AS Origin, sha256 AS Sha256
            FROM build_dependencies
            WHERE build_id = @id AND attempt = (SELECT max(attempt) FROM build_dependencies WHERE build_id = @id)
            ORDER BY position
            """, new { id }, cancellationToken: cancellationToken));
        return [.. rows];
    }
}
