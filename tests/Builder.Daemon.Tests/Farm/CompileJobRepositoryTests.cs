using Builder.Daemon.Farm;
using Builder.Farm.Records;
using Builder.Store.Builds;
using Builder.Store.Farm;
using Builder.Tests.Common;
using Npgsql;

namespace Builder.Daemon.Tests.Farm;

[Trait(Categories.Name, Categories.Integration)]
public sealed class CompileJobRepositoryTests(PostgresDatabase db) : IClassFixture<PostgresDatabase>
{
    [Fact]
    public async Task Batches_read_back_in_order_and_digest_to_the_same_value()
    {
        var buildId = await NewBuildAsync();
        var records = Enumerable.Range(1, 250).Select(i => Record(buildId, i)).ToList();
        var repo = new CompileJobRepository(db.DataSource);
        var sink = new StoreCompileJobSink(repo);

        await sink.WriteAsync(records[..100], CancellationToken.None);
        await sink.WriteAsync(records[100..], CancellationToken.None);
        var stored = await ListAsync(repo, buildId, CancellationToken.None);

        Assert.Equal(250, stored.Count);
        Assert.Equal(CompileJobDigest.Of(records), CompileJobDigest.Of(stored));
        Assert.Equal(records[41].Argv, stored[41].Argv);
        Assert.Equal(records[3] with { Argv = [] }, stored[3] with { Argv = [] });
    }

    [Fact]
    public async Task A_record_for_an_unknown_build_is_rejected_and_its_batch_is_not_stored()
    {
        var buildId = await NewBuildAsync();
        var repo = new CompileJobRepository(db.DataSource);
        var sink = new StoreCompileJobSink(repo);

        var ex = await Assert.ThrowsAsync<PostgresException>(() =>
            sink.WriteAsync([Record(buildId, 1), Record(buildId + 1_000_000, 1)], CancellationToken.None));

        Assert.Equal(PostgresErrorCodes.ForeignKeyViolation, ex.SqlState);
        Assert.Empty(await ListAsync(repo, buildId, CancellationToken.None));
    }

    [Fact]
    public async Task A_sequence_number_cannot_be_stored_twice()
    {
        var buildId = await NewBuildAsync();
        var repo = new CompileJobRepository(db.DataSource);
        var sink = new StoreCompileJobSink(repo);
        await sink.WriteAsync([Record(buildId, 1)], CancellationToken.None);

        var ex = await Assert.ThrowsAsync<PostgresException>(() => sink.WriteAsync([Record(buildId, 1)], CancellationToken.None));

        Assert.Equal(PostgresErrorCodes.UniqueViolation, ex.SqlState);
    }

    [Fact]
    public async Task A_requeued_builds_second_attempt_numbers_its_jobs_from_one_beside_the_first_attempts()
    {
        var buildId = await NewBuildAsync();
        var repo = new CompileJobRepository(db.DataSource);
        var sink = new StoreCompileJobSink(repo);
        var first = new[] { Record(buildId, 1), Record(buildId, 2) };
        var second = new[] { Record(buildId, 1) with { BuildAttempt = 2, Host = "10.0.0.2:3632" } };
        await sink.WriteAsync(first, CancellationToken.None);

        await sink.WriteAsync(second, CancellationToken.None);

        Assert.Equal(CompileJobDigest.Of(first), CompileJobDigest.Of(await ListAsync(repo, buildId, CancellationToken.None)));
        Assert.Equal(second, await ListAsync(repo, buildId, CancellationToken.None, buildAttempt: 2), new RecordComparer());
    }

    /// <summary>Records compare by value except their argv list, compared by its items.</summary>
    private sealed class RecordComparer : IEqualityComparer<CompileJobRecord>
    {
        public bool Equals(CompileJobRecord? x, CompileJobRecord? y) =>
            x is not null && y is not null && x with { Argv = [] } == y with { Argv = [] } && x.Argv.SequenceEqual(y.Argv);

        public int GetHashCode(CompileJobRecord obj) => obj.Seq;
    }

    private static CompileJobRecord Record(long buildId, int seq) => seq % 3 == 0
        ? new CompileJobRecord(buildId, seq, new DateTimeOffset(2026, 11, 23, 8, 0, 0, 123, TimeSpan.Zero).AddSeconds(seq), 5, null,
            CompileOutcomes.Refused, null, ["x86_64-linux-gnu-gcc-12", "-wrapper", "/bin/sh,-c,id", $"f{seq}.c"],
            new string('a', 64), null, null, 0, null, "option '-wrapper' (argument 1) is refused: -wrapper runs a program on the farm host")
        : new CompileJobRecord(buildId, seq, new DateTimeOffset(2026, 11, 23, 8, 0, 0, 7, TimeSpan.Zero).AddSeconds(seq), 40 + seq, 30,
            CompileOutcomes.Compiled, "x86_64-linux-gnu-gcc-12", ["x86_64-linux-gnu-gcc-12", "-O2", "-c", "-o", $"f{seq}.o", $"f{seq}.c"],
            new string('b', 64), new string('c', 64), "10.0.0.1:3632", 1 + (seq % 2), 0, null);

    private async Task<long> NewBuildAsync() => await new BuildRepository(db.DataSource).SubmitAsync(new NewBuild(
        "dev", "hello", null, "alice", "SHA256:x", new string('0', 64), "builder-request 1\n", "sig",
        Guid.NewGuid().ToString("N"), DateTimeOffset.UtcNow), CancellationToken.None);

    /// <summary>The stored rows as the gateway's records, so they digest and compare like the records written.</summary>
    private static async Task<IReadOnlyList<CompileJobRecord>> ListAsync(CompileJobRepository repo, long buildId, CancellationToken cancellationToken,
        int buildAttempt = 1) => [.. (await repo.ListAsync(buildId, cancellationToken, buildAttempt)).Select(StoreCompileJobSink.ToRecord)];
}
