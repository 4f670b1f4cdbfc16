using Dapper;
using Npgsql;

namespace Builder.Store.Instances;

/// <summary>
/// The daemons sharing one database. Each registers at start, checks in periodically and signs off when it stops
/// cleanly; a daemon that stopped checking in is dead, and its active builds are recovered by whoever is alive.
/// </summary>
public sealed class InstanceRepository(NpgsqlDataSource dataSource)
{
    public async Task RegisterAsync(string id, string host, CancellationToken cancellationToken)
    {
        await using var conn = await dataSource.OpenConnectionAsync(cancellationToken);
        await conn.ExecuteAsync(new CommandDefinition(
            "INSERT INTO daemon_instances (id, host) VALUES (@id, @host)", new { id, host }, cancellationToken: cancellationToken));
    }

    public async Task HeartbeatAsync(string id, CancellationToken cancellationToken)
    {
        await using var conn = await dataSource.OpenConnectionAsync(cancellationToken);
        await conn.ExecuteAsync(new CommandDefinition(
            "UPDATE daemon_instances SET heartbeat_at = now() WHERE id = @id AND stopped_at IS NULL", new { id }, cancellationToken: cancellationToken));
    }

    /// <summary>Marks instances as stopped (a clean shutdown, or a process found dead on this host).</summary>
    public async Task MarkStoppedAsync(IReadOnlyCollection<string> ids, CancellationToken cancellationToken)
    {
        if (ids.Count == 0)
        {
            return;
        }
        await using var conn = await dataSource.OpenConnectionAsync(cancellationToken);
        await conn.ExecuteAsync(new CommandDefinition(
            "UPDATE daemon_instances SET stopped_at = now() WHERE id = ANY(@ids) AND stopped_at IS NULL", new { ids = ids.ToArray() },
            cancellationToken: cancellationToken));
    }

    /// <summary>Daemons alive now: not stopped, checked in within <paramref name="deadAfter"/>.</summary>
    public async Task<int> LiveCountAsync(TimeSpan deadAfter, CancellationToken cancellationToken)
    {
        await using var conn = await dataSource.OpenConnectionAsync(cancellationToken);
        return await conn.ExecuteScalarAsync<int>(new CommandDefinition(
            "SELECT count(*)::int FROM daemon_instances WHERE stopped_at IS NULL AND heartbeat_at >= now() - @deadAfter",
            new { deadAfter }, cancellationToken: cancellationToken));
    }

    /// <summary>Instances on <paramref name="host"/> not known to have stopped (to check their processes).</summary>
    public async Task<IReadOnlyList<string>> LiveOnHostAsync(string host, CancellationToken cancellationToken)
    {
        await using var conn = await dataSource.OpenConnectionAsync(cancellationToken);
        return [.. await conn.QueryAsync<string>(new CommandDefinition(
            "SELECT id FROM daemon_instances WHERE host = @host AND stopped_at IS NULL", new { host }, cancellationToken: cancellationToken))];
    }

    /// <summary>
    /// The host of the daemon that last took <paramref name="buildId"/> (its work directory is there), and a live
    /// instance of that host (that daemon itself when alive), or null when none is; null when the build has no owner.
    /// </summary>
    public async Task<BuildHome?> HomeOfAsync(long buildId, TimeSpan deadAfter, CancellationToken cancellationToken)
    {
        await using var conn = await dataSource.OpenConnectionAsync(cancellationToken);
        var row = await conn.QuerySingleOrDefaultAsync<(string Host, string? Live)?>(new CommandDefinition("""
            SELECT o.host, (SELECT l.id FROM daemon_instances l
                            WHERE l.host = o.host AND l.stopped_at IS NULL AND l.heartbeat_at >= now() - @deadAfter
                            ORDER BY (l.id = o.id) DESC, l.heartbeat_at DESC LIMIT 1)
            FROM builds b JOIN daemon_instances o ON o.id = b.claimed_by
            WHERE b.id = @buildId
            """, new { buildId, deadAfter }, cancellationToken: cancellationToken));
        return row is { } r ? new BuildHome(r.Host, r.Live) : null;
    }
}
