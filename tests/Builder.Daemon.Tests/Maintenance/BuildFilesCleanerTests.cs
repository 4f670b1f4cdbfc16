using Builder.Core.Builds;
using Builder.Daemon.Logs;
using Builder.Daemon.Maintenance;
using Builder.Daemon.Pipeline;
using Builder.Store.Builds;
using Builder.Tests.Common;
using Builder.Vm;
using Builder.Vm.Running;
using Dapper;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Builder.Daemon.Tests.Maintenance;

/// <summary>The Cleanup job's sweep, against real build rows in PostgreSQL and real files.</summary>
[Trait(Categories.Name, Categories.Integration)]
public sealed class BuildFilesCleanerTests(PostgresDatabase db) : IClassFixture<PostgresDatabase>, IDisposable
{
    private readonly string _root = TestEnvironment.NewTempDirectory("cleanup");
    private BuildRepository Builds => new(db.DataSource);
    private string LogsDir => Path.Combine(_root, "logs");
    private string WorkDir => Path.Combine(_root, "builds");
    private string VmDir => Path.Combine(_root, "vm");

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private BuildFilesCleaner Cleaner(TimeSpan? keepFailedFor = null) => new(
        Builds,
        new FailedBuildJanitor(NullLogger<FailedBuildJanitor>.Instance),
        Options.Create(new BuildLogOptions { Directory = LogsDir, KeepFor = TimeSpan.FromDays(180) }),
        Options.Create(new PipelineOptions { WorkDirectory = WorkDir, KeepWorkFor = TimeSpan.FromDays(7) }),
        Options.Create(new VmOptions { WorkDirectory = VmDir, KeepFailedFor = keepFailedFor ?? TimeSpan.FromDays(3) }),
        TimeProvider.System,
        NullLogger<BuildFilesCleaner>.Instance);

    /// <summary>A build that ended <paramref name="ago"/> (by the database's clock), or one still preparing when null.</summary>
    private async Task<long> BuildAsync(TimeSpan? ago)
    {
        var id = await Builds.SubmitAsync(new NewBuild("dev", "cleaned-" + Guid.NewGuid().ToString("N")[..12], null, "alice", "SHA256:test", "sha256:acl", "request", "signature",
            Guid.NewGuid().ToString("N"), DateTimeOffset.UtcNow), CancellationToken.None);
        Assert.True(await Builds.TransitionAsync(id, BuildState.Queued, BuildState.Preparing, null, null, null, CancellationToken.None));
        if (ago is { } a)
        {
            Assert.True(await Builds.TransitionAsync(id, BuildState.Preparing, BuildState.Failed, BuildStages.Preparing, "test", null, CancellationToken.None));
            await using var conn = await db.DataSource.OpenConnectionAsync();
            await conn.ExecuteAsync("UPDATE builds SET finished_at = now() - @a WHERE id = @id", new { a, id });
        }
        return id;
    }

    /// <summary>The files a build leaves: its log, its work directory, and a VM run directory with disks.</summary>
    private (string Log, string Work, string VmRun) FilesOf(long id, int attempt = 1)
    {
        Directory.CreateDirectory(LogsDir);
        var log = Path.Combine(LogsDir, $"{id}.log");
        File.WriteAllText(log, "log\n");
        var work = Path.Combine(WorkDir, $"{id}");
        Directory.CreateDirectory(Path.Combine(work, "source"));
        File.WriteAllText(Path.Combine(work, "plan.json"), "{}");
        var vmRun = Path.Combine(VmDir, $"{id}.{attempt}");
        Directory.CreateDirectory(Path.Combine(vmRun, "artifacts"));
        foreach (var f in new[] { "overlay.qcow2", "job.tar", "output.img", "console.log" })
        {
            File.WriteAllText(Path.Combine(vmRun, f), f);
        }
        return (log, work, vmRun);
    }

    private static void Age(string path, TimeSpan age)
    {
        var when = DateTime.UtcNow - age;
        if (Directory.Exists(path))
        {
            Directory.SetLastWriteTimeUtc(path, when);
        }
        else
        {
            File.SetLastWriteTimeUtc(path, when);
        }
    }

    [Fact]
    public async Task Files_of_finished_builds_go_after_their_retention_counted_from_the_builds_end()
    {
        var ancient = FilesOf(await BuildAsync(TimeSpan.FromDays(200)));
        var weekOld = FilesOf(await BuildAsync(TimeSpan.FromDays(8)));
        var failedRecently = FilesOf(await BuildAsync(TimeSpan.FromDays(4)));

        var result = await Cleaner().SweepAsync(CancellationToken.None);

        // 200 days: past every retention.
        Assert.False(File.Exists(ancient.Log));
        Assert.False(Directory.Exists(ancient.Work));
        Assert.False(Directory.Exists(ancient.VmRun));
        // 8 days: past Pipeline:KeepWorkFor (7 d) and Vm:KeepFailedFor (3 d), not Logs:KeepFor.
        Assert.True(File.Exists(weekOld.Log));
        Assert.False(Directory.Exists(weekOld.Work));
        Assert.False(Directory.Exists(weekOld.VmRun));
        // 4 days: only the failed VM's disks are due; its console log and artifacts stay with the work directory.
        Assert.True(File.Exists(failedRecently.Log));
        Assert.True(Directory.Exists(failedRecently.Work));
        Assert.Equal(["console.log"], Directory.GetFiles(failedRecently.VmRun).Select(Path.GetFileName));
        Assert.True(Directory.Exists(Path.Combine(failedRecently.VmRun, "artifacts")));
        Assert.True(result.Logs >= 1 && result.WorkDirectories >= 2 && result.VmDirectories >= 2 && result.VmDisks >= 1);
        Assert.Equal(0, result.Failures);
    }

    [Fact]
    public async Task A_running_builds_files_are_never_touched_however_old_they_look()
    {
        var id = await BuildAsync(null);
        var earlierAttempt = FilesOf(id, attempt: 1);
        var current = FilesOf(id, attempt: 2);
        foreach (var path in new[] { earlierAttempt.Log, earlierAttempt.Work, earlierAttempt.VmRun, current.VmRun })
        {
            Age(path, TimeSpan.FromDays(400));
        }

        await Cleaner(keepFailedFor: TimeSpan.Zero).SweepAsync(CancellationToken.None);

        Assert.True(File.Exists(earlierAttempt.Log));
        Assert.True(File.Exists(Path.Combine(earlierAttempt.Work, "plan.json")));
        Assert.Equal(4, Directory.GetFiles(earlierAttempt.VmRun).Length);
        Assert.Equal(4, Directory.GetFiles(current.VmRun).Length);
    }

    [Fact]
    public async Task A_build_that_has_just_ended_keeps_its_files_for_its_notification_and_hooks_even_with_no_retention()
    {
        var files = FilesOf(await BuildAsync(TimeSpan.FromMinutes(1)));

        await Cleaner(keepFailedFor: TimeSpan.Zero).SweepAsync(CancellationToken.None);

        Assert.Equal(4, Directory.GetFiles(files.VmRun).Length);
        Assert.True(File.Exists(files.Log));
    }

    [Fact]
    public async Task Files_of_builds_the_database_does_not_know_go_by_their_own_age_and_other_names_are_left_alone()
    {
        var unknown = 900_000_000_000L + Random.Shared.Next(1_000_000);
        var old = FilesOf(unknown);
        Age(old.Log, TimeSpan.FromDays(181));
        Directory.CreateDirectory(LogsDir);
        var stranger = Path.Combine(LogsDir, "README.log");
        File.WriteAllText(stranger, "not a build's");
        Age(stranger, TimeSpan.FromDays(999));
        var outside = Path.Combine(_root, "outside.log");
        File.WriteAllText(outside, "precious");
        var link = Path.Combine(LogsDir, $"{unknown + 1}.log");
        File.CreateSymbolicLink(link, outside);
        Directory.CreateDirectory(Path.Combine(VmDir, "lost+found"));

        await Cleaner().SweepAsync(CancellationToken.None);

        Assert.False(File.Exists(old.Log));
        Assert.True(Directory.Exists(old.Work));
        Assert.True(File.Exists(stranger));
        Assert.True(File.Exists(outside));
        Assert.NotNull(new FileInfo(link).LinkTarget);
        Assert.True(Directory.Exists(Path.Combine(VmDir, "lost+found")));
    }

    [Theory]
    [InlineData("42.log", "Log", 42L)]
    [InlineData("042.log", "Log", null)]
    [InlineData("42.log~", "Log", null)]
    [InlineData("42", "Work", 42L)]
    [InlineData("42.1", "Work", null)]
    [InlineData("42.3", "VmRun", 42L)]
    [InlineData("42", "VmRun", null)]
    [InlineData("42.x", "VmRun", null)]
    [InlineData("0.1", "VmRun", null)]
    [InlineData("9999999999999999999.1", "VmRun", null)]
    public void Only_names_a_build_gives_its_files_are_recognised(string name, string kind, long? id) =>
        Assert.Equal(id, BuildFilesCleaner.ParseId(name, Enum.Parse<BuildFilesCleaner.EntryKind>(kind)));
}
