using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Builder.Core.Processes;
using Builder.Core.Text;
using Builder.Daemon.Logs;
using Microsoft.Extensions.Options;

namespace Builder.Daemon.Hooks;

/// <summary>
/// Runs the hooks of one kind like run-parts: executable regular files whose names match <c>[A-Za-z0-9_-]+</c>, in
/// ordinal order, stdin from /dev/null, stdout and stderr appended to the build log (each line cleaned, cut at
/// Logs:MaxLineLength and marked <c>hook| name: </c>), each killed (with its process
/// tree) after the timeout. Hooks get a clean environment — PATH, LANG and the BUILDER_* variables — so daemon
/// secrets in its own environment (BUILDER__Database__ConnectionString …) never reach them.
/// </summary>
internal sealed partial class HookRunner(IOptionsMonitor<HooksOptions> options, ILogger<HookRunner> logger, IOptions<BuildLogOptions>? logOptions = null)
{
    private readonly int _maxLine = logOptions?.Value.MaxLineLength ?? new BuildLogOptions().MaxLineLength;

    [GeneratedRegex("^[A-Za-z0-9_-]+$")]
    private static partial Regex ValidName();

    public static string DirectoryName(HookKind kind) => kind switch
    {
        HookKind.PreBuild => "pre-build.d",
        HookKind.PostBuild => "post-build.d",
        HookKind.FailedBuild => "failed-build.d",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    /// <summary>The hooks that would run, in order.</summary>
    public IReadOnlyList<string> List(HookKind kind)
    {
        var dir = Path.Combine(options.CurrentValue.Directory, DirectoryName(kind));
        if (!Directory.Exists(dir))
        {
            return [];
        }
        return [.. new DirectoryInfo(dir).EnumerateFiles()
            .Where(f => ValidName().IsMatch(f.Name) && f.LinkTarget is null
                && (f.UnixFileMode & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0)
            .Select(f => f.FullName)
            .Order(StringComparer.Ordinal)];
    }

    public async Task<IReadOnlyList<HookResult>> RunAsync(HookKind kind, HookContext context, TextWriter log, CancellationToken cancellationToken)
    {
        var results = new List<HookResult>();
        foreach (var path in List(kind))
        {
            var result = await RunOneAsync(path, context, log, cancellationToken);
            results.Add(result);
            var summary = result.Succeeded ? "ok"
                : result.TimedOut ? $"killed after {options.CurrentValue.Timeout.TotalSeconds:0} s"
                : result.Error ?? $"exit status {result.ExitCode}";
            await log.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"[hook {DirectoryName(kind)}/{result.Name}] {summary} ({result.Duration.TotalSeconds:0.0} s)"));
            if (!result.Succeeded)
            {
                Log.HookFailed(logger, context.BuildId, DirectoryName(kind), result.Name, summary);
            }
        }
        await log.FlushAsync(cancellationToken);
        return results;
    }

    private async Task<HookResult> RunOneAsync(string path, HookContext context, TextWriter log, CancellationToken cancellationToken)
    {
        var name = Path.GetFileName(path);
        var command = new ProcessCommand(path, []) { WorkingDirectory = Path.GetDirectoryName(path)! };
        HookEnvironment.Fill(command, context);
        var watch = Stopwatch.StartNew();
        Process process;
        try
        {
            process = Process.Start(command.ToStartInfo())!;
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            return new HookResult(name, null, false, watch.Elapsed, $"could not start: {ex.Message}");
        }
        using (process)
        {
            // Closed at once: the hook reads EOF, like </dev/null.
            process.StandardInput.Close();
            var gate = new SemaphoreSlim(1, 1);
            async Task PumpAsync(StreamReader output)
            {
                // Line by line with a cap: a hook that prints without a newline costs one line of memory.
                var reader = new BoundedLineReader(output, _maxLine);
                string? line;
                while ((line = await reader.ReadLineAsync(CancellationToken.None)) is not null)
                {
                    await gate.WaitAsync(CancellationToken.None);
                    try
                    {
                        // A hook may print what a package or a guest wrote: cleaned and marked, it cannot pass for the daemon's line.
                        await log.WriteLineAsync($"{BuildLogWriter.HookPrefix}{name}: {UntrustedText.Clean(line)}");
                    }
                    finally
                    {
                        gate.Release();
                    }
                }
            }
            var pumps = Task.WhenAll(PumpAsync(process.StandardOutput), PumpAsync(process.StandardError));
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(options.CurrentValue.Timeout);
            var timedOut = false;
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                timedOut = !cancellationToken.IsCancellationRequested;
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync(CancellationToken.None);
            }
            // A hook that left a child holding its stdout open must not block the build: stop waiting after a moment.
            await Task.WhenAny(pumps, Task.Delay(TimeSpan.FromSeconds(5), CancellationToken.None));
            cancellationToken.ThrowIfCancellationRequested();
            return new HookResult(name, timedOut ? null : process.ExitCode, timedOut, watch.Elapsed, null);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(8201, LogLevel.Warning, "Build {BuildId}: hook {HookDirectory}/{HookName} failed: {Failure}")]
        public static partial void HookFailed(ILogger logger, long buildId, string hookDirectory, string hookName, string failure);
    }
}
