using Builder.Core.Audit;
using Builder.Core.Builds;
using Builder.Daemon.Logs;
using Builder.Daemon.Pipeline;
using Builder.Daemon.Pipeline.Stages;
using Builder.Store.Audit;
using Builder.Store.Builds;
using Builder.Tests.Common;
using Builder.Tests.Common.Audit;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Builder.Daemon.Tests.Pipeline;

/// <summary>
/// The transaction that ends a build, against a real PostgreSQL whose audit_records refuse the build-end insert a
/// given number of times: each failed try leaves the build in its state without a record, and a later try ends it.
/// </summary>
[Trait(Categories.Name, Categories.Integration)]
public sealed class BuildEndCommitTests(PostgresDatabase db) : IClassFixture<PostgresDatabase>, IDisposable
{
    private readonly BuildRepository _builds = new(db.DataSource);
    private readonly AuditRepository _audit = new(db.DataSource);
    private readonly string _logs = TestEnvironment.NewTempDirectory("end-commit");

    [Fact]
    public async Task A_database_error_while_the_build_end_record_is_written_is_tried_again_and_the_build_ends_with_its_record()
    {
        var build = await AuditedBuildingAsync();
        await AuditFaults.FailBuildEndAsync(db.DataSource, build.Id, times: 2);
        var seenBetweenTries = new List<(BuildState State, bool Record)>();
        await using var run = Run(build);
        var tries = 0;

        var ending = await Commit(attempts: 3).RunAsync(run, async ct =>
        {
            if (tries++ > 0)
            {
                seenBetweenTries.Add(((await _builds.GetAsync(build.Id, ct))!.State, await _audit.FindAsync(build.Id, AuditEvent.BuildEnd, 1, ct) is not null));
            }
            return await _builds.EndAsync(build.Id, 1, new StateChange(BuildState.Building, BuildState.Failed) { Stage = BuildStages.Building },
                End(build.Id), ct);
        });

        Assert.True(ending.Moved);
        Assert.Equal(3, tries);
        Assert.Equal([(BuildState.Building, false), (BuildState.Building, false)], seenBetweenTries);
        Assert.Equal(BuildState.Failed, (await _builds.GetAsync(build.Id, CancellationToken.None))!.State);
        Assert.Equal(ending.Record!.Seq, (await _audit.FindAsync(build.Id, AuditEvent.BuildEnd, 1, CancellationToken.None))!.Seq);
        var log = await File.ReadAllTextAsync(Path.Combine(_logs, $"{build.Id}.log"));
        Assert.Contains($"ending the build failed (try 1 of 3): 08006: {AuditFaults.Message}; trying again in 0.01 s", log, StringComparison.Ordinal);
        Assert.Contains($"ending the build failed (try 2 of 3): 08006: {AuditFaults.Message}; trying again in 0.02 s", log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task When_every_try_fails_the_error_reaches_the_caller_and_the_build_is_not_finished()
    {
        var build = await AuditedBuildingAsync();
        await AuditFaults.FailBuildEndAsync(db.DataSource, build.Id, times: 100);
        await using var run = Run(build);

        var ex = await Assert.ThrowsAsync<PostgresException>(() => Commit(attempts: 2).RunAsync(run, ct =>
            _builds.EndAsync(build.Id, 1, new StateChange(BuildState.Building, BuildState.Failed) { Stage = BuildStages.Building }, End(build.Id), ct)));

        Assert.Equal(AuditFaults.Message, ex.MessageText);
        Assert.Equal(BuildState.Building, (await _builds.GetAsync(build.Id, CancellationToken.None))!.State);
        Assert.Null(await _audit.FindAsync(build.Id, AuditEvent.BuildEnd, 1, CancellationToken.None));
    }

    [Fact]
    public async Task A_refused_constraint_is_not_tried_again()
    {
        var build = await AuditedBuildingAsync();
        await using var run = Run(build);
        var tries = 0;

        // Ending an audited attempt without its record: the database refuses it, every time.
        var ex = await Assert.ThrowsAsync<PostgresException>(() => Commit(attempts: 5).RunAsync(run, ct =>
        {
            tries++;
            return _builds.EndAsync(build.Id, 1, new StateChange(BuildState.Building, BuildState.Failed) { Stage = BuildStages.Building }, null, ct);
        }));

        Assert.Equal("builds_audited_before_end", ex.ConstraintName);
        Assert.Equal(1, tries);
    }

    private static BuildEndCommit Commit(int attempts) => new(
        Options.Create(new PipelineOptions { EndAttempts = attempts, EndRetryDelay = TimeSpan.FromMilliseconds(10) }), TimeProvider.System,
        NullLogger<BuildEndCommit>.Instance);

    private BuildRun Run(BuildRecord build) => new(build, TestEnvironment.NewTempDirectory("end-commit-work"), _builds,
        new BuildLogStore(Options.Create(new BuildLogOptions { Directory = _logs }), TimeProvider.System, NullLogger<BuildLogStore>.Instance),
        TimeProvider.System, TimeSpan.FromMinutes(1), CancellationToken.None);

    private static Func<long, string, AuditRecord> End(long build) => AuditingBuilds.Record(build, AuditEvent.BuildEnd);

    private async Task<BuildRecord> AuditedBuildingAsync()
    {
        var build = await AuditingBuilds.SubmitAsync(_builds, "ending-" + Guid.NewGuid().ToString("N")[..8]);
        var start = await _audit.AppendAsync(build.Id, AuditEvent.BuildStart, 1, AuditingBuilds.Record(build.Id), CancellationToken.None);
        await _audit.MarkAcceptedAsync(start.Seq, $"audit.{start.Seq}@test", DateTimeOffset.UtcNow, CancellationToken.None);
        Assert.True(await _builds.TransitionAsync(build.Id, BuildState.Auditing, BuildState.Building, null, null, null, CancellationToken.None));
        return (await _builds.GetAsync(build.Id, CancellationToken.None))!;
    }

    public void Dispose() => Directory.Delete(_logs, recursive: true);
}
