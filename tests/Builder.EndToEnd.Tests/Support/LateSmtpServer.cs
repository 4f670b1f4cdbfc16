using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Builder.EndToEnd.Tests.Support;

/// <summary>
/// An audit SMTP server that is down until <see cref="StartAsync"/>: a free loopback port where nothing listens, then a
/// real aiosmtpd there (as ops/lib/smtp.sh runs it) storing into <see cref="Maildir"/>.
/// </summary>
public sealed class LateSmtpServer(string root) : IAsyncDisposable
{
    private readonly System.Text.StringBuilder _output = new();
    private Process? _smtp;

    public int Port { get; } = FreePort();

    public string Endpoint => $"127.0.0.1:{Port}";

    public string Maildir => Path.Combine(root, "smtp", "Maildir");

    public async Task StartAsync()
    {
        Assert.Null(_smtp);
        Directory.CreateDirectory(Path.GetDirectoryName(Maildir)!);
        // -n: stay root (the Maildir belongs to the test); the Debian interpreter, so the packaged aiosmtpd runs.
        var psi = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "-m", "aiosmtpd", "-n", "-c", "aiosmtpd.handlers.Mailbox", "-l", Endpoint, Maildir })
        {
            psi.ArgumentList.Add(a);
        }
        _smtp = Process.Start(psi)!;
        _smtp.StandardInput.Close();
        _smtp.OutputDataReceived += (_, e) => Collect(e.Data);
        _smtp.ErrorDataReceived += (_, e) => Collect(e.Data);
        _smtp.BeginOutputReadLine();
        _smtp.BeginErrorReadLine();
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(IPAddress.Loopback, Port);
                return;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline && !_smtp.HasExited)
            {
                await Task.Delay(100);
            }
            catch (SocketException ex)
            {
                lock (_output)
                {
                    throw new InvalidOperationException($"aiosmtpd did not listen on {Endpoint}: {ex.Message}\n{_output}");
                }
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_smtp is not null)
        {
            if (!_smtp.HasExited)
            {
                _smtp.Kill();
                await _smtp.WaitForExitAsync();
            }
            _smtp.Dispose();
        }
    }

    private void Collect(string? line)
    {
        if (line is not null)
        {
            lock (_output)
            {
                _output.AppendLine(line);
            }
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
