using Builder.Store.Migrations;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Xunit;

namespace Builder.Tests.Common;

/// <summary>
/// A fresh, migrated database in the throwaway cluster, one per test class (use as IClassFixture),
/// dropped afterwards. Unique names let test classes run in parallel.
/// </summary>
public sealed class PostgresDatabase : IAsyncLifetime
{
    private readonly string _admin = TestEnvironment.Require(TestEnvironment.Postgres);

    public string Name { get; } = $"builder_t_{Guid.NewGuid():N}";

    public string ConnectionString => new NpgsqlConnectionStringBuilder(_admin) { Database = Name }.ConnectionString;

    public NpgsqlDataSource DataSource { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await InitializeEmptyAsync();
        await new MigrationRunner(DataSource, NullLogger<MigrationRunner>.Instance).ApplyAsync(MigrationSet.Embedded, CancellationToken.None);
    }

    /// <summary>Creates the database without applying migrations.</summary>
    public async Task InitializeEmptyAsync()
    {
        await using (var admin = new NpgsqlConnection(_admin))
        {
            await admin.OpenAsync();
            await using var cmd = new NpgsqlCommand($"CREATE DATABASE \"{Name}\"", admin);
            await cmd.ExecuteNonQueryAsync();
        }
        DataSource = NpgsqlDataSource.Create(ConnectionString);
    }

    public async Task DisposeAsync()
    {
        await DataSource.DisposeAsync();
        NpgsqlConnection.ClearAllPools();
        await using var admin = new NpgsqlConnection(_admin);
        await admin.OpenAsync();
        await using var cmd = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{Name}\" WITH (FORCE)", admin);
        await cmd.ExecuteNonQueryAsync();
    }
}
