using Dapper;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Builder.Store.Migrations;

/// <summary>
/// Applies sql/NNNN_*.sql in order, each in its own transaction, recording it in schema_migrations.
/// A session advisory lock serializes daemons that start together; an applied migration whose text
/// changed afterwards stops the runner (the schema would no longer be what the file says).
/// </summary>
public sealed partial class MigrationRunner(NpgsqlDataSource dataSource, ILogger<MigrationRunner> logger)
{
    // Arbitrary constant shared by every builderd: "builder" in ASCII.
    private const long AdvisoryLockKey = 0x6275696c646572;

    public async Task<int> ApplyAsync(IReadOnlyList<Migration> migrations, CancellationToken cancellationToken)
    {
        await using var conn = await dataSource.OpenConnectionAsync(cancellationToken);
        await conn.ExecuteAsync(new CommandDefinition("SELECT pg_advisory_lock(@k)", new { k = AdvisoryLockKey }, cancellationToken: cancellationToken));
        try
        {
            await conn.ExecuteAsync(new CommandDefinition("""
                CREATE TABLE IF NOT EXISTS schema_migrations (
                    version    integer     PRIMARY KEY,
                    name       text        NOT NULL,
                    sha256     text        NOT NULL,
                    applied_at timestamptz NOT NULL DEFAULT now())
                """, cancellationToken: cancellationToken));
            var applied = (await conn.QueryAsync<(int Version, string Name, string Sha256)>(new CommandDefinition(
                "SELECT version, name, sha256 FROM schema_migrations", cancellationToken: cancellationToken)))
                .ToDictionary(r => r.Version);

            var count = 0;
            foreach (var m in migrations)
            {
                if (applied.TryGetValue(m.Version, out var done))
                {
                    if (done.Sha256 != m.Sha256)
                    {
                        throw new InvalidOperationException(
                            $"migration {m.Version:D4}_{m.Name}.sql was changed after it was applied (sha256 {done.Sha256} in schema_migrations, {m.Sha256} now); add a new migration instead");
                    }
                    continue;
                }
                await using var tx = await conn.BeginTransactionAsync(cancellationToken);
                await conn.ExecuteAsync(new CommandDefinition(m.Sql, transaction: tx, cancellationToken: cancellationToken));
                await conn.ExecuteAsync(new CommandDefinition(
                    "INSERT INTO schema_migrations (version, name, sha256) VALUES (@Version, @Name, @Sha256)", m, tx, cancellationToken: cancellationToken));
                await tx.CommitAsync(cancellationToken);
                Log.Applied(logger, m.Version, m.Name);
                count++;
            }
            return count;
        }
        finally
        {
            await conn.ExecuteAsync(new CommandDefinition("SELECT pg_advisory_unlock(@k)", new { k = AdvisoryLockKey }, cancellationToken: CancellationToken.None));
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1001, LogLevel.Information, "Applied migration {Version:D4}_{Name}")]
        public static partial void Applied(ILogger logger, int version, string name);
    }
}
