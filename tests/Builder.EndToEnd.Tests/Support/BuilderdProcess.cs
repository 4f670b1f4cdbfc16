using System.Diagnostics;
using System.Globalization;
using Builder.Daemon.Pipeline;
using Builder.Tests.Common;

namespace Builder.EndToEnd.Tests.Support;

/// <summary>
/// builderd as its own OS process (<c>dotnet builderd.dll run</c>, configured by <c>BUILDER__Section__Key</c> variables
/// as an admin would), so a test can kill it with SIGKILL. Output goes to a log file the failure messages quote.
/// </summary>
public sealed class BuilderdProcess : IAsyncDisposable
{
    private readonly Process _process;
    private bool _disposed;

    private BuilderdProcess(Process process, string name, string logPath, Uri baseAddress)
    {
        _process = process;
        Name = name;
        LogPath = logPath;
        BaseAddress = baseAddress;
    }

    public string Name { get; }

    public string LogPath { get; }

    public Uri BaseAddress { get; }

    public int Pid => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>
    /// Starts builderd with <paramref name="settings"/> (configuration keys such as <c>Scheduler:Slots</c>) on a free
    /// loopback port and waits until it answers /healthz. <paramref name="pauseAt"/> turns on the test-only pause points
    /// (<see cref="TestPausePoints"/>) with markers in <paramref name="pauseDirectory"/>. <paramref name="launcher"/> goes
    /// before the daemon's command (e.g. setpriv, to start it with the systemd unit's user and capability sets; exec all the
    /// way, so the pid stays builderd's); <paramref name="environment"/> adds to or replaces the test's variables.
    /// </summary>
    public static async Task<BuilderdProcess> StartAsync(string name, IReadOnlyDictionary<string, string?> settings, string logDirectory,
        string? pauseAt = null, string? pauseDirectory = null, IReadOnlyList<string>? launcher = null,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        var port = TestPorts.Unused();
        var logPath = Path.Combine(logDirectory, $"builderd-{name}.log");
        // The daemon's console output goes to a file through the shell's redirection (then exec: the pid is builderd's),
        // so a killed daemon leaves all it wrote and no pipe of ours can fill up.
        var info = new ProcessStartInfo("/bin/sh") { UseShellExecute = false, RedirectStandardInput = true };
        // The shell (the test's user) opens the log, so a daemon started as another user needs no access to it.
        string[] shell = ["-c", "exec \"$@\" >>\"$0\" 2>&1", logPath, .. launcher ?? [], "dotnet", Path.Combine(AppContext.BaseDirectory, "builderd.dll"), "run"];
        foreach (var a in shell)
        {
            info.ArgumentList.Add(a);
        }
        foreach (var (key, value) in settings)
        {
            info.Environment["BUILDER__" + key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }
        info.Environment["BUILDER__Http__Urls"] = string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{port}");
        if (pauseAt is not null)
        {
            info.ArgumentList.Add(TestPausePoints.Switch);
            info.Environment[TestPausePoints.PauseAtVariable] = pauseAt;
            info.Environment[TestPausePoints.PauseDirectoryVariable] = pauseDirectory;
        }
        var process = Process.Start(info)!;
        var daemon = new BuilderdProcess(process, name, logPath, new Uri(string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{port}/")));
        await daemon.WaitHealthyAsync();
        return daemon;
    }

    private async Task WaitHealthyAsync()
    {
        using var http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow.AddMinutes(2);
        while (true)
        {
            Assert.False(_process.HasExited, $"builderd {Name} exited with status {(_process.HasExited ? _process.ExitCode : 0)}:\n{LogTail()}");
            try
            {
                using var response = await http.GetAsync("healthz");
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                // Not listening yet.
            }
            Assert.True(DateTime.UtcNow < deadline, $"builderd {Name} did not answer /healthz within 2 minutes:\n{LogTail()}");
            await Task.Delay(250);
        }
    }

    /// <summary>kill -9: no shutdown code of the daemon runs.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            TestProcess.Check("kill", ["-KILL", _process.Id.ToString(CultureInfo.InvariantCulture)]);
        }
        await _process.WaitForExitAsync();
    }

    /// <summary>The end of the daemon's output, for failure messages.</summary>
    public string LogTail(int lines = 60)
    {
        if (!File.Exists(LogPath))
        {
            return "(no output)";
        }
        using var stream = new FileStream(LogPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        var all = new StreamReader(stream).ReadToEnd().Split('\n');
        return $"--- {LogPath} ---\n" + string.Join('\n', all.TakeLast(lines));
    }

    /// <summary>A clean stop (SIGTERM), then SIGKILL if it does not end within a minute. Idempotent.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        if (!_process.HasExited)
        {
            TestProcess.Run("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)]);
            using var grace = new CancellationTokenSource(TimeSpan.FromMinutes(1));
            try
            {
                await _process.WaitForExitAsync(grace.Token);
            }
            catch (OperationCanceledException)
            {
                await KillAsync();
            }
        }
        _process.Dispose();
    }
}
