using Builder.Store.Migrations;
using Builder.Tests.Common;
using Dapper;
using Microsoft.Extensions.Logging.Abstractions;

namespace Builder.Store.Tests.Migrations;

[Trait(Categories.Name, Categories.Integration)]
public sealed class MigrationRunnerTests(PostgresDatabase db) : IClassFixture<PostgresDatabase>
{
    [Fact]
    public async Task Applying_again_changes_nothing()
    {
        var runner = new MigrationRunner(db.DataSource, NullLogger<MigrationRunner>.Instance);
        Assert.Equal(0, await runner.ApplyAsync(MigrationSet.Embedded, CancellationToken.None));
        await using var conn = await db.DataSource.OpenConnectionAsync();
        var versions = (await conn.QueryAsync<int>("SELECT version FROM schema_migrations ORDER BY version")).ToList();
        Assert.Equal(MigrationSet.Embedded.Select(m => m.Version), versions);
    }

    [Fact]
    public async Task A_migration_changed_after_it_was_applied_stops_the_runner()
    {
        var first = MigrationSet.Embedded[0];
        var changed = new[] { first with { Sha256 = new string('0', 64) } };
        var runner = new MigrationRunner(db.DataSource, NullLogger<MigrationRunner>.Instance);
        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => runner.ApplyAsync(changed, CancellationToken.None));
        Assert.Contains($"{first.Version:D4}_{first.Name}.sql was changed after it was applied", ex.Message);
    }

    [Fact]
    public async Task Two_runners_starting_together_apply_each_migration_once()
    {
        // A fresh database of its own: both runners race over the whole migration set.
        var fresh = new PostgresDatabase();
        try
        {
            await fresh.InitializeEmptyAsync();
            var runs = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ =>
                new MigrationRunner(fresh.DataSource, NullLogger<MigrationRunner>.Instance).ApplyAsync(MigrationSet.Embedded, CancellationToken.None)));
            Assert.Equal(MigrationSet.Embedded.Count, runs.Sum());
        }
        finally
        {
            await fresh.DisposeAsync();
        }
    }
}
