using Builder.Core.Processes;
using Builder.Tests.Common;
using Microsoft.Extensions.Time.Testing;

namespace Builder.Core.Tests.Processes;

/// <summary>The process runner against real programs: /bin/sh, true, false, cat, env, seq and sleep.</summary>
public sealed class ProcessRunnerTests
{
    // The shell ignores SIGTERM (and so does its sleep, which inherits that), writes both pids and waits.
    private const string StubbornTree = "trap '' TERM; sleep 600 & echo $$ $! > \"$1\"; wait";

    private readonly string _dir = TestEnvironment.NewTempDirectory("process-runner");

    [Fact]
    public async Task Arguments_reach_the_program_verbatim_and_its_status_stdout_and_stderr_are_kept()
    {
        var result = await ProcessRunner.RunAsync(
            new ProcessCommand("/bin/sh", ["-c", "printf '%s\\n' \"$@\"; echo oops >&2; exit 3", "sh", "a b", "$HOME", "; rm -rf x", "--"]),
            CancellationToken.None);

        Assert.Equal(3, result.ExitCode);
        Assert.Equal("a b\n$HOME\n; rm -rf x\n--\n", result.StandardOutput);
        Assert.Equal("oops\n", result.StandardError);
        Assert.False(result.Truncated);
    }

    [Fact]
    public async Task True_succeeds_and_false_fails_with_a_message_naming_the_command_and_its_status()
    {
        Assert.Equal(0, (await ProcessRunner.RunCheckedAsync(new ProcessCommand("true", []), CancellationToken.None)).ExitCode);

        var e = await Assert.ThrowsAsync<ProcessFailedException>(() =>
            ProcessRunner.RunCheckedAsync(new ProcessCommand("false", ["--", "x"]), CancellationToken.None));
        Assert.Equal("false -- x failed with exit status 1 and no output", e.Message);
        Assert.Equal("false -- x", e.Command);
        Assert.Equal(1, e.ExitCode);
    }

    [Fact]
    public async Task A_failure_message_quotes_the_end_of_stderr_under_the_display_name()
    {
        var command = new ProcessCommand("/bin/sh", ["-c", "echo planning; echo 'E: Unable to locate package nope' >&2; exit 100"])
        {
            DisplayName = "apt-get build-dep",
        };

        var e = await Assert.ThrowsAsync<ProcessFailedException>(() => ProcessRunner.RunCheckedAsync(command, CancellationToken.None));

        Assert.Equal("apt-get build-dep failed with exit status 100: E: Unable to locate package nope", e.Message);
        Assert.Equal("planning\n", e.Result.StandardOutput);
    }

    [Fact]
    public async Task Stdin_carries_the_given_text_and_is_closed_at_once_when_there_is_none()
    {
        var fed = await ProcessRunner.RunCheckedAsync(new ProcessCommand("cat", []) { StandardInput = "builder-request 1\n"u8.ToArray() }, CancellationToken.None);
        var closed = await ProcessRunner.RunCheckedAsync(new ProcessCommand("cat", []), CancellationToken.None);

        Assert.Equal("builder-request 1\n", fed.StandardOutput);
        Assert.Equal("", closed.StandardOutput);
    }

    [Fact]
    public async Task A_null_value_leaves_a_default_variable_out_and_the_program_runs_in_its_directory()
    {
        var command = new ProcessCommand("/usr/bin/env", []) { WorkingDirectory = _dir, Environment = { ["ONLY"] = "this", ["PATH"] = null, ["LANG"] = null } };
        var pwd = new ProcessCommand("/bin/pwd", []) { WorkingDirectory = _dir };

        Assert.Equal("ONLY=this\n", (await ProcessRunner.RunCheckedAsync(command, CancellationToken.None)).StandardOutput);
        Assert.Equal(_dir + "\n", (await ProcessRunner.RunCheckedAsync(pwd, CancellationToken.None)).StandardOutput);
    }

    [Fact]
    public async Task Output_beyond_the_cap_is_dropped_from_the_front_so_the_verdict_at_the_end_is_kept()
    {
        var result = await ProcessRunner.RunCheckedAsync(new ProcessCommand("seq", ["1", "200000"]) { MaxOutput = 100 }, CancellationToken.None);

        Assert.True(result.Truncated);
        Assert.Equal(100, result.StandardOutput.Length);
        Assert.EndsWith("\n199999\n200000\n", result.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cancellation_kills_the_whole_process_tree_even_programs_that_ignore_SIGTERM()
    {
        var pids = Path.Combine(_dir, "pids");
        using var cancel = new CancellationTokenSource();
        var run = ProcessRunner.RunAsync(new ProcessCommand("/bin/sh", ["-c", StubbornTree, "sh", pids]), cancel.Token);
        var (shell, sleep) = await ReadPidsAsync(pids, run);

        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
        await AssertGoneAsync(shell);
        await AssertGoneAsync(sleep);
    }

    [Fact]
    public async Task A_timeout_kills_the_whole_process_tree_and_names_the_command()
    {
        var pids = Path.Combine(_dir, "pids");
        var time = new FakeTimeProvider();
        var command = new ProcessCommand("/bin/sh", ["-c", "echo started >&2; " + StubbornTree, "sh", pids])
        {
            DisplayName = "stubborn", Timeout = TimeSpan.FromMinutes(1), Time = time,
        };
        var run = ProcessRunner.RunAsync(command, CancellationToken.None);
        var (shell, sleep) = await ReadPidsAsync(pids, run);

        time.Advance(TimeSpan.FromMinutes(1));

        var e = await Assert.ThrowsAsync<ProcessTimeoutException>(() => FinishAsync(run, time));
        Assert.Equal("stubborn ran longer than 00:01:00 and was killed; stderr: started", e.Message);
        await AssertGoneAsync(shell);
        await AssertGoneAsync(sleep);
    }

    [Fact]
    public async Task A_program_that_cannot_start_is_reported_by_name()
    {
        var e = await Assert.ThrowsAsync<ProcessStartException>(() =>
            ProcessRunner.RunAsync(new ProcessCommand("/nonexistent/builder-tool", ["x"]), CancellationToken.None));

        Assert.StartsWith("cannot run /nonexistent/builder-tool: ", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_child_left_holding_stdout_does_not_keep_the_caller_waiting()
    {
        var pid = Path.Combine(_dir, "pid");
        var time = new FakeTimeProvider();
        var run = ProcessRunner.RunAsync(
            new ProcessCommand("/bin/sh", ["-c", "sleep 600 & echo $! > \"$1\"; echo done", "sh", pid]) { Time = time }, CancellationToken.None);
        try
        {
            var result = await FinishAsync(run, time);
            Assert.Equal(0, result.ExitCode);
            Assert.Equal("done\n", result.StandardOutput);
        }
        finally
        {
            using var orphan = System.Diagnostics.Process.GetProcessById(int.Parse(File.ReadAllText(pid).Trim(), System.Globalization.CultureInfo.InvariantCulture));
            orphan.Kill();
        }
    }

    // The grace for output after exit runs on the command's clock: move the fake one on until the call returns.
    private static async Task<T> FinishAsync<T>(Task<T> run, FakeTimeProvider time)
    {
        for (var i = 0; i < 3000 && !run.IsCompleted; i++)
        {
            time.Advance(TimeSpan.FromSeconds(1));
            await Task.Delay(20);
        }
        return await run.WaitAsync(TimeSpan.FromSeconds(1));
    }

    private static async Task<(int Shell, int Sleep)> ReadPidsAsync(string file, Task run)
    {
        // A guard against a hang, not a timing assertion.
        for (var i = 0; i < 600; i++)
        {
            Assert.False(run.IsCompleted, "the process ended before it wrote its pids");
            if (File.Exists(file) && File.ReadAllText(file).Split(' ', StringSplitOptions.TrimEntries) is [var shell, var sleep] && sleep.Length > 0)
            {
                return (int.Parse(shell, System.Globalization.CultureInfo.InvariantCulture), int.Parse(sleep, System.Globalization.CultureInfo.InvariantCulture));
            }
            await Task.Delay(100);
        }
        throw new TimeoutException($"{file} was never written");
    }

    private static async Task AssertGoneAsync(int pid)
    {
        // SIGKILL is delivered at once but the kernel reaps asynchronously: wait for it, bounded (not a timing assertion).
        for (var i = 0; i < 600 && !IsGone(pid); i++)
        {
            await Task.Delay(100);
        }
        if (!IsGone(pid))
        {
            using var survivor = System.Diagnostics.Process.GetProcessById(pid);
            survivor.Kill();
            Assert.Fail($"process {pid} survived the kill");
        }
    }

    // Gone, or a zombie waiting for a parent to reap it: either way it runs no more.
    private static bool IsGone(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[stat.LastIndexOf(')') + 2] is 'Z' or 'X';
        }
        catch (IOException)
        {
            return true;
        }
    }
}
