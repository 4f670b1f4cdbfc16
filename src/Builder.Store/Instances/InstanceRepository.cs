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
}
