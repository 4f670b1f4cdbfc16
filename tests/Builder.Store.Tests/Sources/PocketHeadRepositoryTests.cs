using Builder.Core.Audit;
using Builder.Core.Builds;
using Builder.Store.Audit;
using Builder.Store.Builds;
using Builder.Store.Sources;
using Builder.Store.Tests.Audit;
using Builder.Tests.Common;

namespace Builder.Store.Tests.Sources;

[Trait(Categories.Name, Categories.Integration)]
public sealed class PocketHeadRepositoryTests(PostgresDatabase db) : IClassFixture<PostgresDatabase>
{
    private readonly BuildRepository _builds = new(db.DataSource);
    private readonly PocketHeadRepository _heads = new(db.DataSource);
    private readonly AuditRepository _audit = new(db.DataSource);

    [Fact]
    public async Task Advancing_with_the_success_commits_both_in_one_transaction()
    {
        var package = UniquePackage();
        var build = await PublishingBuildAsync("prod", package, Commit('a'), "1.0-1");

        await using (var conn = await db.DataSource.OpenConnectionAsync())
        await using (var tx = await conn.BeginTransactionAsync())
        {
            Assert.True(await BuildRepository.TransitionAsync(conn, tx, build, BuildState.Publishing, BuildState.Succeeded, null, null, "published", CancellationToken.None));
            Assert.True(await PocketHeadRepository.AdvanceAsync(conn, tx, "prod", package, null, Commit('a'), "1.0-1", build, CancellationToken.None));
            await tx.CommitAsync();
        }

        var head = await _heads.GetAsync("prod", package, CancellationToken.None);
        Assert.NotNull(head);
        Assert.Equal((Commit('a'), "1.0-1", build), (head.CommitId, head.Version, head.BuildId));
        Assert.Equal(BuildState.Succeeded, (await _builds.GetAsync(build, CancellationToken.None))!.State);
    }

    [Fact]
    public async Task A_rolled_back_success_leaves_the_pocket_head_where_it_was()
    {
        var package = UniquePackage();
        var first = await PublishingBuildAsync("prod", package, Commit('a'), "1.0-1");
        await SucceedAsync(first, "prod", package, null, Commit('a'), "1.0-1");
        var second = await PublishingBuildAsync("prod", package, Commit('b'), "1.0-2");

        await using (var conn = await db.DataSource.OpenConnectionAsync())
        await using (var tx = await conn.BeginTransactionAsync())
        {
            Assert.True(await PocketHeadRepository.AdvanceAsync(conn, tx, "prod", package, Commit('a'), Commit('b'), "1.0-2", second, CancellationToken.None));
            await tx.RollbackAsync();
        }

        var head = await _heads.GetAsync("prod", package, CancellationToken.None);
        Assert.Equal((Commit('a'), first), (head!.CommitId, head.BuildId));
    }

    [Fact]
    public async Task The_head_moves_only_from_the_commit_the_pocket_rules_saw()
    {
        var package = UniquePackage();
        var first = await PublishingBuildAsync("prod", package, Commit('a'), "1.0-1");
        await SucceedAsync(first, "prod", package, null, Commit('a'), "1.0-1");
        var second = await PublishingBuildAsync("prod", package, Commit('c'), "1.0-3");

        await using var conn = await db.DataSource.OpenConnectionAsync();
        await using var tx = await conn.BeginTransactionAsync();
        // A stale expectation (another head than the current one) and a second "first publish" both change nothing.
        Assert.False(await PocketHeadRepository.AdvanceAsync(conn, tx, "prod", package, Commit('b'), Commit('c'), "1.0-3", second, CancellationToken.None));
        Assert.False(await PocketHeadRepository.AdvanceAsync(conn, tx, "prod", package, null, Commit('c'), "1.0-3", second, CancellationToken.None));
        Assert.True(await PocketHeadRepository.AdvanceAsync(conn, tx, "prod", package, Commit('a'), Commit('c'), "1.0-3", second, CancellationToken.None));
        await tx.CommitAsync();

        Assert.Equal(Commit('c'), (await _heads.GetAsync("prod", package, CancellationToken.None))!.CommitId);
    }

    [Fact]
    public async Task A_commit_that_built_in_another_pocket_is_found_for_a_copy_and_failed_builds_are_not()
    {
        var package = UniquePackage();
        var dev = await PublishingBuildAsync("dev", package, Commit('d'), "2.0-1");
        await SucceedAsync(dev, "dev", package, null, Commit('d'), "2.0-1");
        var failed = await PublishingBuildAsync("staging", package, Commit('d'), "2.0-1");
        Assert.True(await _builds.TransitionAsync(failed, BuildState.Publishing, BuildState.Failed, BuildStages.Publishing, "reprepro failed", null, CancellationToken.None));

        var found = await _heads.FindSucceededAsync("dev", package, Commit('d'), CancellationToken.None);
        Assert.Equal((dev, "dev", "2.0-1"), (found!.BuildId, found.Pocket, found.Version));
        Assert.Null(await _heads.FindSucceededAsync("staging", package, Commit('d'), CancellationToken.None));
        Assert.Null(await _heads.FindSucceededAsync("dev", package, Commit('e'), CancellationToken.None));

        var elsewhere = await _heads.FindSucceededElsewhereAsync(package, Commit('d'), "prod", CancellationToken.None);
        Assert.Equal([dev], elsewhere.Select(b => b.BuildId));
        Assert.Empty(await _heads.FindSucceededElsewhereAsync(package, Commit('d'), "dev", CancellationToken.None));
    }

    private async Task SucceedAsync(long build, string pocket, string package, string? expected, string commit, string version)
    {
        await using var conn = await db.DataSource.OpenConnectionAsync();
        await using var tx = await conn.BeginTransactionAsync();
        Assert.True(await BuildRepository.TransitionAsync(conn, tx, build, BuildState.Publishing, BuildState.Succeeded, null, null, null, CancellationToken.None));
        Assert.True(await PocketHeadRepository.AdvanceAsync(conn, tx, pocket, package, expected, commit, version, build, CancellationToken.None));
        await tx.CommitAsync();
    }

    private async Task<long> PublishingBuildAsync(string pocket, string package, string commit, string version)
    {
        var id = await _builds.SubmitAsync(new NewBuild(pocket, package, null, "alice", "SHA256:x", "sha256:y", "request", "signature",
            Guid.NewGuid().ToString("N"), DateTimeOffset.UtcNow), CancellationToken.None);
        Assert.True(await _builds.TransitionAsync(id, BuildState.Queued, BuildState.Preparing, null, null, null, CancellationToken.None));
        await _builds.SetSourceAsync(id, commit, version, CancellationToken.None);
        Assert.True(await _builds.TransitionAsync(id, BuildState.Preparing, BuildState.Auditing, null, null, null, CancellationToken.None));
        // The database lets a build leave auditing only after its build-start record was accepted off-site.
        var start = await _audit.AppendAsync(id, AuditEvent.BuildStart, 1, AuditStoreSamples.Compose(id), CancellationToken.None);
        await _audit.MarkAcceptedAsync(start.Seq, $"<{id}@test>", DateTimeOffset.UtcNow, CancellationToken.None);
        Assert.True(await _builds.TransitionAsync(id, BuildState.Auditing, BuildState.Publishing, null, null, null, CancellationToken.None));
        // Its result, whichever the test gives it, needs the attempt's build-end record (sql/0014).
        await _audit.AppendAsync(id, AuditEvent.BuildEnd, 1, AuditStoreSamples.Compose(id, AuditEvent.BuildEnd), CancellationToken.None);
        return id;
    }

    private static string Commit(char c) => new(c, 40);

    private static string UniquePackage() => $"pkg-{Guid.NewGuid():N}"[..20];
}
