using Builder.Daemon.Hooks;
using Builder.Tests.Common;
using Microsoft.Extensions.Logging.Abstractions;

namespace Builder.Daemon.Tests.Hooks;

public sealed class HookRunnerTests
{
    private readonly string _root = TestEnvironment.NewTempDirectory("hooks");

    private HookRunner Runner(TimeSpan? timeout = null)
    {
        var options = new HooksOptions { Directory = _root, Timeout = timeout ?? TimeSpan.FromSeconds(60) };
        return new HookRunner(new TestOptionsMonitor<HooksOptions>(options), NullLogger<HookRunner>.Instance);
    }

    private void Hook(HookKind kind, string name, string body, bool executable = true)
    {
        var dir = Path.Combine(_root, HookRunner.DirectoryName(kind));
        Directory.CreateDirectory(dir);
        var path = Path.Combine(dir, name);
        File.WriteAllText(path, "#!/bin/sh\n" + body + "\n");
        File.SetUnixFileMode(path, executable ? (UnixFileMode)0b111_101_101 : (UnixFileMode)0b110_100_100);
    }

    private static HookContext Context() => new(42, "dev", "hello", new string('a', 40), "1.0-1", "alice", "succeeded", null,
        "/var/log/builder/42.log", "/var/lib/builder/builds/42/out", "https://builder.example.org/builds/42");

    [Fact]
    public async Task Hooks_run_in_lexical_order_and_only_valid_executable_names()
    {
        Hook(HookKind.PostBuild, "20-second", "echo second");
        Hook(HookKind.PostBuild, "10-first", "echo first");
        Hook(HookKind.PostBuild, "30-with.dot", "echo dotted");
        Hook(HookKind.PostBuild, "40-not-executable", "echo nope", executable: false);
        Hook(HookKind.PostBuild, "50-backup~", "echo backup");
        var log = new StringWriter();
        var results = await Runner().RunAsync(HookKind.PostBuild, Context(), log, CancellationToken.None);
        Assert.Equal(["10-first", "20-second"], results.Select(r => r.Name));
        var text = log.ToString();
        Assert.True(text.IndexOf("hook| 10-first: first", StringComparison.Ordinal) < text.IndexOf("hook| 20-second: second", StringComparison.Ordinal));
        Assert.DoesNotContain("dotted", text, StringComparison.Ordinal);
        Assert.DoesNotContain("nope", text, StringComparison.Ordinal);
        Assert.DoesNotContain("backup", text, StringComparison.Ordinal);
    }

    [Fact]
    [Trait(Categories.Name, Categories.Integration)]
    public async Task A_hook_of_a_daemon_holding_capabilities_runs_with_every_set_empty_and_no_new_privs()
    {
        Assert.True(Builder.Core.Processes.ProcessPrivileges.Current.HoldsAny, "this test needs a test process holding capabilities (ops/test runs as root)");
        Hook(HookKind.PostBuild, "10-status", "grep -E '^(Cap|NoNewPrivs)' /proc/$$/status");
        var log = new StringWriter();

        var results = await Runner().RunAsync(HookKind.PostBuild, Context(), log, CancellationToken.None);

        Assert.True(results.Single().Succeeded, log.ToString());
        var lines = log.ToString().Split('\n').Where(l => l.StartsWith("hook| 10-status: ", StringComparison.Ordinal)).Select(l => l["hook| 10-status: ".Length..]);
        Assert.Equal(["CapInh:\t0000000000000000", "CapPrm:\t0000000000000000", "CapEff:\t0000000000000000", "CapBnd:\t0000000000000000",
            "CapAmb:\t0000000000000000", "NoNewPrivs:\t1"], lines);
    }

    [Fact]
    public async Task Hooks_see_the_builder_variables_and_nothing_of_the_daemons_environment()
    {
        Environment.SetEnvironmentVariable("BUILDER__Database__ConnectionString", "Password=secret");
        try
        {
            Hook(HookKind.PreBuild, "10-env", "env | sort");
            var log = new StringWriter();
            await Runner().RunAsync(HookKind.PreBuild, Context(), log, CancellationToken.None);
            var text = log.ToString();
            foreach (var expected in new[] { "BUILDER_BUILD_ID=42", "BUILDER_POCKET=dev", "BUILDER_PACKAGE=hello", "BUILDER_VERSION=1.0-1",
                "BUILDER_REQUESTER=alice", "BUILDER_STATE=succeeded", "BUILDER_FAILED_STAGE=", "BUILDER_LOG=/var/log/builder/42.log",
                "BUILDER_ARTIFACTS_DIR=/var/lib/builder/builds/42/out", "BUILDER_WEB_URL=https://builder.example.org/builds/42",
                "BUILDER_COMMIT=" + new string('a', 40) })
            {
                Assert.Contains($"hook| 10-env: {expected}\n", text, StringComparison.Ordinal);
            }
            Assert.DoesNotContain("secret", text, StringComparison.Ordinal);
        }
        finally
        {
            Environment.SetEnvironmentVariable("BUILDER__Database__ConnectionString", null);
        }
    }

    [Fact]
    public async Task Stdin_is_empty_and_stderr_is_logged()
    {
        Hook(HookKind.PreBuild, "10-stdin", "if read x; then echo \"read: $x\"; else echo 'stdin at EOF'; fi; echo to-stderr >&2");
        var log = new StringWriter();
        await Runner().RunAsync(HookKind.PreBuild, Context(), log, CancellationToken.None);
        Assert.Contains("hook| 10-stdin: stdin at EOF", log.ToString(), StringComparison.Ordinal);
        Assert.Contains("hook| 10-stdin: to-stderr", log.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_failing_hook_is_reported_and_the_next_one_still_runs()
    {
        Hook(HookKind.FailedBuild, "10-fails", "exit 3");
        Hook(HookKind.FailedBuild, "20-runs", "echo still here");
        var log = new StringWriter();
        var results = await Runner().RunAsync(HookKind.FailedBuild, Context(), log, CancellationToken.None);
        Assert.Equal(3, results[0].ExitCode);
        Assert.False(results[0].Succeeded);
        Assert.True(results[1].Succeeded);
        Assert.Contains("[hook failed-build.d/10-fails] exit status 3", log.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_hook_past_its_timeout_is_killed_with_its_children()
    {
        var marker = Path.Combine(_root, "child-survived");
        Hook(HookKind.PostBuild, "10-hangs", $"(sleep 3; touch {marker}) & sleep 600");
        var log = new StringWriter();
        var results = await Runner(TimeSpan.FromMilliseconds(500)).RunAsync(HookKind.PostBuild, Context(), log, CancellationToken.None);
        Assert.True(results[0].TimedOut);
        Assert.Contains("killed after", log.ToString(), StringComparison.Ordinal);
        await Task.Delay(TimeSpan.FromSeconds(4));
        Assert.False(File.Exists(marker), "the hook's child process outlived the kill");
    }

    [Fact]
    public void A_missing_hook_directory_means_no_hooks()
    {
        Assert.Empty(Runner().List(HookKind.PostBuild));
    }
}
