using Builder.Daemon.Hooks;
using Builder.Tests.Common;
using Microsoft.Extensions.Logging.Abstractions;

namespace Builder.Daemon.Tests.Hooks;

/// <summary>The example hooks in hooks/ do what their header says, run by the real runner against real git.</summary>
public sealed class ShippedHooksTests
{
    private readonly string _work = TestEnvironment.NewTempDirectory("shipped-hooks");

    private static string Git(string dir, params string[] args) =>
        TestProcess.Check("git", ["-c", "user.name=t", "-c", "user.email=t@example.org", .. args], dir);

    /// <summary>A hooks directory with the shipped hook copied in (the runner runs it from there).</summary>
    private string HooksWith(string relative)
    {
        var root = Path.Combine(_work, "hooks");
        var target = Path.Combine(root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        File.Copy(Path.Combine(TestEnvironment.RepositoryRoot, "hooks", relative), target);
        File.SetUnixFileMode(target, (UnixFileMode)0b111_101_101);
        return root;
    }

    private static HookRunner Runner(string root) =>
        new(new TestOptionsMonitor<HooksOptions>(new HooksOptions { Directory = root }), NullLogger<HookRunner>.Instance);

    [Fact]
    public async Task Superproject_hook_moves_the_pockets_submodule_pointer_to_the_built_commit()
    {
        // A package repository with two commits, and a superproject whose 'dev' branch points at the first.
        var pkg = Path.Combine(_work, "hello");
        Directory.CreateDirectory(pkg);
        Git(pkg, "init", "-q", "-b", "main");
        File.WriteAllText(Path.Combine(pkg, "a"), "1");
        Git(pkg, "add", "a");
        Git(pkg, "commit", "-q", "-m", "one");
        var first = Git(pkg, "rev-parse", "HEAD");
        File.WriteAllText(Path.Combine(pkg, "a"), "2");
        Git(pkg, "commit", "-q", "-am", "two");
        var second = Git(pkg, "rev-parse", "HEAD");

        var seed = Path.Combine(_work, "sp-seed");
        Directory.CreateDirectory(seed);
        Git(seed, "init", "-q", "-b", "dev");
        Git(seed, "update-index", "--add", "--cacheinfo", $"160000,{first},packages/hello");
        Git(seed, "commit", "-q", "-m", "start");
        var bare = Path.Combine(_work, "superproject.git");
        Git(_work, "clone", "-q", "--bare", seed, bare);

        var root = HooksWith("post-build.d/50-superproject");
        File.WriteAllText(Path.Combine(root, "superproject.conf"), $"SUPERPROJECT_URL={bare}\n");
        var log = new StringWriter();
        var context = new HookContext(7, "dev", "hello", second, "1.0-2", "alice", "succeeded", null, "/dev/null", null, null);
        var results = await Runner(root).RunAsync(HookKind.PostBuild, context, log, CancellationToken.None);

        Assert.True(results.Single().Succeeded, log.ToString());
        Assert.Equal($"160000 commit {second}\tpackages/hello", Git(bare, "ls-tree", "dev", "--", "packages/hello"));
        Assert.Equal("dev: hello 1.0-2 (build 7)", Git(bare, "log", "-1", "--format=%s", "dev"));
    }

    [Fact]
    public async Task Superproject_hook_does_nothing_without_its_config()
    {
        var root = HooksWith("post-build.d/50-superproject");
        var context = new HookContext(7, "dev", "hello", new string('a', 40), "1.0", "alice", "succeeded", null, "/dev/null", null, null);
        var results = await Runner(root).RunAsync(HookKind.PostBuild, context, new StringWriter(), CancellationToken.None);
        Assert.True(results.Single().Succeeded);
    }

    [Fact]
    public async Task Keep_note_hook_lists_the_kept_build_directory()
    {
        var build = Path.Combine(_work, "builds", "9");
        Directory.CreateDirectory(Path.Combine(build, "out"));
        File.WriteAllText(Path.Combine(build, "overlay.qcow2"), "");
        var root = HooksWith("failed-build.d/50-keep-note");
        var log = new StringWriter();
        var context = new HookContext(9, "dev", "hello", null, null, "alice", "failed", "building", "/var/log/9.log",
            Path.Combine(build, "out"), "https://builder.example.org/builds/9");
        await Runner(root).RunAsync(HookKind.FailedBuild, context, log, CancellationToken.None);
        var text = log.ToString();
        Assert.Contains("build 9 failed at stage 'building'.", text, StringComparison.Ordinal);
        Assert.Contains($"its files are kept in {build}:", text, StringComparison.Ordinal);
        Assert.Contains($"qemu-img info {build}/overlay.qcow2", text, StringComparison.Ordinal);
        Assert.Contains("log: https://builder.example.org/builds/9", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Keep_note_hook_says_a_rejected_build_was_rejected_not_failed_at_an_unknown_stage()
    {
        var root = HooksWith("failed-build.d/50-keep-note");
        var log = new StringWriter();
        var context = new HookContext(10, "dev", "hello", null, null, "alice", "rejected", null, "/var/log/10.log", null,
            "https://builder.example.org/builds/10");
        await Runner(root).RunAsync(HookKind.FailedBuild, context, log, CancellationToken.None);
        var text = log.ToString();
        Assert.Contains("build 10 was rejected.", text, StringComparison.Ordinal);
        Assert.DoesNotContain("unknown", text, StringComparison.Ordinal);
        Assert.Contains("no build directory was kept (the build ended before its VM started).", text, StringComparison.Ordinal);
    }
}
