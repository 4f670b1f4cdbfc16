using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Builder.Tests.Common;

namespace Builder.Farm.Tests.Support;

/// <summary>
/// A stock distccd of the test's own, so a test can kill and restart it and read a log nobody else writes to.
/// Same flags as ops/lib/distccd.sh: loopback only, its own user, a job lifetime, and every job in the per-job
/// sandbox (DISTCCD_PATH starts with the builder-farm-cc symlinks, BUILDER_TEST_FARM_CC_PATH).
/// </summary>
internal sealed class DistccdProcess : IAsyncDisposable
{
    private Process? _process;

    private readonly bool _plain;

    private DistccdProcess(string logFile, int port, bool plain)
    {
        LogFile = logFile;
        Port = port;
        _plain = plain;
    }

    public string LogFile { get; }

    public int Port { get; }

    public string HostSpec(int slots) => $"127.0.0.1:{Port}/{slots}";

    /// <param name="plain">run the compilers without the per-job sandbox (only as a reference to compare with).</param>
    public static async Task<DistccdProcess> StartAsync(string directory, string name, int port = 0, bool plain = false)
    {
        var d = new DistccdProcess(Path.Combine(directory, name + ".log"), port == 0 ? TestPorts.Unused() : port, plain);
        await d.StartAsync();
        return d;
    }

    /// <summary>Starts it again on the same port (after <see cref="Kill"/>).</summary>
    public async Task StartAsync()
    {
        var psi = new ProcessStartInfo("distccd") { UseShellExecute = false, RedirectStandardInput = true };
        psi.Environment["DISTCCD_PATH"] = (_plain ? "" : FarmTestEnvironment.FarmCcPath() + ":") + "/usr/bin:/bin";
        // --no-detach keeps the pid ours; --allow loopback only; --user: never compile as root.
        foreach (var a in new[] { "--daemon", "--no-detach", "--listen", "127.0.0.1", "--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--allow", "127.0.0.1/32", "--user", "distccd", "--jobs", "2", "--job-lifetime", "300", "--log-level", "info", "--log-file", LogFile })
        {
            psi.ArgumentList.Add(a);
        }
        _process = Process.Start(psi) ?? throw new InvalidOperationException("could not start distccd");
        for (var i = 0; i < 200; i++)
        {
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(IPAddress.Loopback, Port);
                return;
            }
            catch (SocketException)
            {
                if (_process.HasExited)
                {
                    throw new InvalidOperationException($"distccd exited with {_process.ExitCode}; log: {(File.Exists(LogFile) ? await File.ReadAllTextAsync(LogFile) : "none")}");
                }
                await Task.Delay(50);
            }
        }
        throw new InvalidOperationException($"distccd did not listen on 127.0.0.1:{Port}");
    }

    /// <summary>SIGKILL to the daemon and its preforked workers: jobs in flight die mid-answer.</summary>
    public void Kill()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }
        _process?.Dispose();
        _process = null;
    }

    /// <summary>Connections distccd logged ("connection from"), one per job or probe.</summary>
    public int Connections() => CountLines(LogFile, "connection from");

    public static int CountLines(string logFile, string text) =>
        File.Exists(logFile) ? ReadShared(logFile).Split('\n').Count(l => l.Contains(text, StringComparison.Ordinal)) : 0;

    public static string ReadShared(string file)
    {
        using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    public ValueTask DisposeAsync()
    {
        Kill();
        return ValueTask.CompletedTask;
    }
}
