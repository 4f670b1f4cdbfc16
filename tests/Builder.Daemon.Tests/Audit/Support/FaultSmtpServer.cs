using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Builder.Daemon.Tests.Audit.Support;

/// <summary>
/// A loopback SMTP server that misbehaves on purpose: it refuses chosen recipients with a reply code, or
/// accepts TCP and never answers. Mail to other recipients is accepted and kept (e.g. the alert).
/// </summary>
internal sealed class FaultSmtpServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accept;
    private readonly string? _refuseRecipientReply;
    private readonly bool _hang;
    private readonly List<TcpClient> _clients = [];

    private FaultSmtpServer(string? refuseRecipientReply, bool hang)
    {
        _refuseRecipientReply = refuseRecipientReply;
        _hang = hang;
        _listener.Start();
        _accept = AcceptAsync();
    }

    /// <summary>Refuses RCPT TO for addresses containing <paramref name="recipientPart"/> with <paramref name="reply"/>, e.g. "550 5.1.1 no such mailbox".</summary>
    public static FaultSmtpServer Refusing(string recipientPart, string reply) => new($"{recipientPart}\n{reply}", hang: false);

    /// <summary>Accepts connections and never says a word.</summary>
    public static FaultSmtpServer Silent() => new(null, hang: true);

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public List<string> Accepted { get; } = [];

    public int Connections { get; private set; }

    private async Task AcceptAsync()
    {
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                Connections++;
                lock (_clients)
                {
                    _clients.Add(client);
                }
                if (!_hang)
                {
                    _ = Task.Run(() => ServeAsync(client, _stop.Token));
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (ObjectDisposedException)
        {
        }
    }

    private async Task ServeAsync(TcpClient client, CancellationToken ct)
    {
        try
        {
            var stream = client.GetStream();
            using var reader = new StreamReader(stream, Encoding.ASCII);
            await using var writer = new StreamWriter(stream, Encoding.ASCII) { NewLine = "\r\n", AutoFlush = true };
            var parts = _refuseRecipientReply!.Split('\n');
            await writer.WriteLineAsync("220 fault.test ESMTP");
            var refused = false;
            while (await reader.ReadLineAsync(ct) is { } line)
            {
                var verb = line.Split(' ')[0].ToUpperInvariant();
                if (verb is "EHLO" or "HELO")
                {
                    await writer.WriteLineAsync("250 fault.test");
                }
                else if (verb == "RCPT" && line.Contains(parts[0], StringComparison.OrdinalIgnoreCase))
                {
                    refused = true;
                    await writer.WriteLineAsync(parts[1]);
                }
                else if (verb == "DATA" && !refused)
                {
                    await writer.WriteLineAsync("354 go ahead");
                    var data = new StringBuilder();
                    while (await reader.ReadLineAsync(ct) is { } d && d != ".")
                    {
                        data.Append(d).Append('\n');
                    }
                    lock (Accepted)
                    {
                        Accepted.Add(data.ToString());
                    }
                    await writer.WriteLineAsync("250 2.0.0 accepted");
                }
                else if (verb == "QUIT")
                {
                    await writer.WriteLineAsync("221 bye");
                    break;
                }
                else if (verb == "RSET")
                {
                    refused = false;
                    await writer.WriteLineAsync("250 ok");
                }
                else
                {
                    await writer.WriteLineAsync(verb == "DATA" ? "554 no valid recipients" : "250 ok");
                }
            }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException)
        {
        }
        finally
        {
            client.Dispose();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        lock (_clients)
        {
            foreach (var c in _clients)
            {
                c.Dispose();
            }
        }
        await _accept;
        _stop.Dispose();
    }
}
