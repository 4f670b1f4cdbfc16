using Builder.Core.Processes;
using Xunit;

namespace Builder.Tests.Common;

/// <summary>
/// Runs a real program for a test (git, gpg, openssl, dpkg-source, distcc …) with an argument list, through the
/// product's own <see cref="ProcessRunner"/>, and keeps its status and output for the assertion message.
/// </summary>
public static class TestProcess
{
    // A guard against a hung tool, not a timing assertion.
    private static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(10);

    public sealed record Result(int ExitCode, string Output, string Error)
    {
        public override string ToString() => $"exit {ExitCode}\nstdout:\n{Output}\nstderr:\n{Error}";
    }

    /// <param name="file">the program.</param>
    /// <param name="args">its arguments.</param>
    /// <param name="workingDirectory">where it runs; the test's current directory when null.</param>
    /// <param name="environment">variables to set besides the test process's own; a null value leaves one of those out.</param>
    /// <param name="stdin">its input; stdin is closed at once when null.</param>
    /// <param name="timeout">when to kill it and fail (10 minutes unless given).</param>
    public static async Task<Result> RunAsync(string file, IEnumerable<string> args, string? workingDirectory = null,
        IReadOnlyDictionary<string, string?>? environment = null, string? stdin = null, TimeSpan? timeout = null)
    {
        var command = new ProcessCommand(file, args)
        {
            WorkingDirectory = workingDirectory,
            StandardInput = stdin is null ? null : System.Text.Encoding.UTF8.GetBytes(stdin),
            Timeout = timeout ?? DefaultTimeout,
            // Tests read whole outputs (dpkg-deb --info, git cat-file, distcc logs): keep far more than the product does.
            MaxOutput = 8 << 20,
            // A test's tools stand for the operator (root, as ops/test runs), not for the daemon's children: they keep
            // the test's capabilities (setpriv to a build uid, chown of a fixture to the daemon's user).
            KeepCapabilities = true,
        };
        // A test's tools also get the test's whole environment (the services' addresses, a test's HOME), as an
        // operator's shell would give them; the daemon's children never do (ChildEnvironment).
        foreach (var name in Environment.GetEnvironmentVariables().Keys.Cast<string>().Where(ChildEnvironment.IsName))
        {
            command.Environment[name] = Environment.GetEnvironmentVariable(name);
        }
        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
        {
            command.Environment[name] = value;
        }
        var result = await ProcessRunner.RunAsync(command, CancellationToken.None);
        return new Result(result.ExitCode, result.StandardOutput, result.StandardError);
    }

    /// <summary>Runs and asserts success; returns trimmed stdout.</summary>
    /// <inheritdoc cref="RunAsync" path="/param"/>
    public static async Task<string> CheckAsync(string file, IEnumerable<string> args, string? workingDirectory = null,
        IReadOnlyDictionary<string, string?>? environment = null, string? stdin = null, TimeSpan? timeout = null)
    {
        var list = args.ToList();
        var r = await RunAsync(file, list, workingDirectory, environment, stdin, timeout);
        Assert.True(r.ExitCode == 0, $"{file} {string.Join(' ', list)} failed: {r}");
        return r.Output.Trim();
    }

    /// <summary>
    /// <see cref="RunAsync"/> for synchronous callers; it runs on the thread pool, so blocking here never waits for
    /// a continuation queued to the test's own synchronisation context.
    /// </summary>
    public static Result Run(string file, IEnumerable<string> args, string? workingDirectory = null,
        IReadOnlyDictionary<string, string>? environment = null, string? stdin = null) =>
        Task.Run(() => RunAsync(file, args, workingDirectory, Nullable(environment), stdin)).GetAwaiter().GetResult();

    /// <summary>Runs and asserts success; returns trimmed stdout.</summary>
    public static string Check(string file, IEnumerable<string> args, string? workingDirectory = null,
        IReadOnlyDictionary<string, string>? environment = null, string? stdin = null) =>
        Task.Run(() => CheckAsync(file, args, workingDirectory, Nullable(environment), stdin)).GetAwaiter().GetResult();

    private static Dictionary<string, string?>? Nullable(IReadOnlyDictionary<string, string>? environment) =>
        environment?.ToDictionary(e => e.Key, string? (e) => e.Value, StringComparer.Ordinal);
}
