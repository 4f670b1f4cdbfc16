using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Builder.Tests.Common;

namespace Builder.EndToEnd.Tests;

/// <summary>
/// The full pipeline with its audit SMTP server on a port where nothing listens yet; <see cref="StartSmtpAsync"/> starts
/// a real aiosmtpd there (as ops/lib/smtp.sh does), storing into this host's own Maildir.
/// </summary>
public sealed class SmtpDownPipelineHost : PipelineHost
{
    private readonly System.Text.StringBuilder _smtpOutput = new();
    private Process? _smtp;

    public int SmtpPort { get; } = FreePort();

    public override string Maildir => Path.Combine(Root, "smtp", "Maildir");

    protected override string SmtpEndpoint => $"127.0.0.1:{SmtpPort}";

    public async Task StartSmtpAsync()
    {
        Assert.Null(_smtp);
        Directory.CreateDirectory(Path.GetDirectoryName(Maildir)!);
        // -n: stay root (the Maildir belongs to the test); the Debian interpreter, so the packaged aiosmtpd runs.
        var psi = new ProcessStartInfo("/usr/bin/python3")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var a in new[] { "-m", "aiosmtpd", "-n", "-c", "aiosmtpd.handlers.Mailbox", "-l", SmtpEndpoint, Maildir })
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
                await probe.ConnectAsync(IPAddress.Loopback, SmtpPort);
                return;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline && !_smtp.HasExited)
            {
                await Task.Delay(100);
            }
            catch (SocketException ex)
            {
                lock (_smtpOutput)
                {
                    throw new InvalidOperationException($"aiosmtpd did not listen on {SmtpEndpoint}: {ex.Message}\n{_smtpOutput}");
                }
            }
        }
    }

    public override async Task DisposeAsync()
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
        await base.DisposeAsync();
    }

    private void Collect(string? line)
    {
        if (line is not null)
        {
            lock (_smtpOutput)
            {
                _smtpOutput.AppendLine(line);
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
