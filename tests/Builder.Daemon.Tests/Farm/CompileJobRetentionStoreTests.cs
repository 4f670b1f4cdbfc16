using Builder.Daemon.Farm;
using Builder.Farm.Records;
using Builder.Store.Builds;
using Builder.Store.Farm;
using Builder.Tests.Common;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Builder.Daemon.Tests.Farm;

/// <summary>Retention (Farm:KeepJobRecordsFor) and argv truncation (Farm:MaxRecordedArgvBytes) against the real database.</summary>
[Trait(Categories.Name, Categories.Integration)]
public sealed class CompileJobRetentionStoreTests(PostgresDatabase db) : IClassFixture<PostgresDatabase>
{
    [Fact]
    public async Task Records_of_builds_finished_before_the_cutoff_are_deleted_and_the_others_stay()
    {
        var repo = new CompileJobRepository(db.DataSource);
        var sink = new StoreCompileJobSink(repo);
        var old = await NewBuildAsync(finishedAgo: TimeSpan.FromDays(200));
        var recent = await NewBuildAsync(finishedAgo: TimeSpan.FromDays(10));
        var running = await NewBuildAsync(finishedAgo: null);
        foreach (var id in new[] { old, recent, running })
        {
            await sink.WriteAsync([.. Enumerable.Range(1, 120).Select(s => Record(id, s, ["gcc", "-c", $"f{s}.c"]))], CancellationToken.None);
        }

        var deleted = await repo.DeleteOfBuildsFinishedBeforeAsync(DateTimeOffset.UtcNow - TimeSpan.FromDays(180), CancellationToken.None, buildsPerBatch: 1);

        Assert.True(deleted >= 120, $"{deleted} rows deleted");
        Assert.Empty(await ListAsync(repo, old, CancellationToken.None));
        Assert.Equal(120, (await ListAsync(repo, recent, CancellationToken.None)).Count);
        Assert.Equal(120, (await ListAsync(repo, running, CancellationToken.None)).Count);
    }

    [Fact]
    public async Task A_refused_jobs_512_arguments_of_4_KiB_are_stored_cut_to_the_cap_and_the_rows_digest_as_the_summary_says()
    {
        var repo = new CompileJobRepository(db.DataSource);
        var sink = new StoreCompileJobSink(repo);
        var build = await NewBuildAsync(finishedAgo: null);
        var argv = Enumerable.Range(0, 512).Select(i => "-D" + new string('x', 4094)).ToArray();
        CompileSummary summary;
        await using (var recorder = new BuildJobRecorder(build, 1, sink, 10, TimeSpan.Zero, TimeProvider.System, NullLogger.Instance, maxArgvBytes: 16 * 1024))
        {
            await recorder.AddAsync(seq => Record(build, seq, argv));
            summary = await recorder.CompleteAsync();
        }

        var stored = Assert.Single(await ListAsync(repo, build, CancellationToken.None));
        Assert.Equal(5, stored.Argv.Count);
        Assert.Equal($"…[argv truncated: {(512 * 4096) - (16 * 1024)} more bytes]", stored.Argv[^1]);
        Assert.Equal(summary.Digest, CompileJobDigest.Of([stored]));
    }

    private static CompileJobRecord Record(long buildId, int seq, string[] argv) =>
        new(buildId, seq, new DateTimeOffset(2026, 11, 23, 8, 0, 0, 0, TimeSpan.Zero).AddSeconds(seq), 5, null, CompileOutcomes.Refused, null,
            argv, new string('a', 64), null, null, 0, null, "refused");

    private async Task<long> NewBuildAsync(TimeSpan? finishedAgo)
    {
        var id = await new BuildRepository(db.DataSource).SubmitAsync(new NewBuild(
            "dev", "hello", null, "alice", "SHA256:x", new string('0', 64), "builder-request 1\n", "sig",
            Guid.NewGuid().ToString("N"), DateTimeOffset.UtcNow), CancellationToken.None);
        if (finishedAgo is { } ago)
        {
            await using var cmd = db.DataSource.CreateCommand("UPDATE builds SET state = 'succeeded', finished_at = now() - @ago WHERE id = @id");
            cmd.Parameters.AddWithValue("ago", ago);
            cmd.Parameters.AddWithValue("id", id);
            await cmd.ExecuteNonQueryAsync();
        }
        return id;
    }

    /// <summary>The stored rows as the gateway's records, so they digest and compare like the records written.</summary>
    private static async Task<IReadOnlyList<CompileJobRecord>> ListAsync(CompileJobRepository repo, long buildId, CancellationToken cancellationToken,
        int buildAttempt = 1) => [.. (await repo.ListAsync(buildId, cancellationToken, buildAttempt)).Select(StoreCompileJobSink.ToRecord)];
}
