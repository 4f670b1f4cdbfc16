using System.Diagnostics;
using System.Net.Sockets;
using Xunit;

namespace Builder.Tests.Common.Audit;

/// <summary>
/// A real aiosmtpd (Debian's python3-aiosmtpd) of this test's own, with its own Maildir, for tests that read a
/// whole mailbox or need the server to come back on a given port.
/// </summary>
public sealed class AiosmtpdProcess : IAsyncDisposable
{
    private readonly Process _process;

    private AiosmtpdProcess(Process process, int port, string maildir)
    {
        _process = process;
        Port = port;
        Maildir = maildir;
    }

    public int Port { get; }

    public string Maildir { get; }

    public static async Task<AiosmtpdProcess> StartAsync(string maildir, int? port = null)
    {
        var p = port ?? TestPorts.Unused();
        var psi = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "-m", "aiosmtpd", "-n", "-c", "aiosmtpd.handlers.Mailbox", "-l", $"127.0.0.1:{p}", maildir })
        {
            psi.ArgumentList.Add(a);
        }
        var process = Process.Start(psi) ?? throw new InvalidOperationException("cannot start python3 -m aiosmtpd");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new AiosmtpdProcess(process, p, maildir);
        for (var i = 0; i < 200; i++)
        {
            Assert.False(process.HasExited, $"aiosmtpd exited with {(process.HasExited ? process.ExitCode : 0)} (is python3-aiosmtpd installed? ops/deps/audit.list)");
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync("127.0.0.1", p);
                return server;
            }
            catch (SocketException)
            {
                await Task.Delay(50);
            }
        }
        await server.DisposeAsync();
        throw new InvalidOperationException($"aiosmtpd did not listen on 127.0.0.1:{p}");
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }
}
