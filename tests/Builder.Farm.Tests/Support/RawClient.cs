using System.Net;
using System.Net.Sockets;

namespace Builder.Farm.Tests.Support;

/// <summary>Sends hand-made bytes to a gateway listener and reads everything it answers until it closes.</summary>
internal static class RawClient
{
    public static async Task<byte[]> ExchangeAsync(IPEndPoint endpoint, byte[] request)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(endpoint);
        var stream = client.GetStream();
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        // Send and read at the same time: the gateway may answer (and stop reading) before all bytes are sent.
        var send = Task.Run(async () =>
        {
            try
            {
                await stream.WriteAsync(request, cts.Token);
                // Like a client that gave up: no more bytes are coming (the gateway must not wait for them).
                client.Client.Shutdown(SocketShutdown.Send);
            }
            catch (Exception e) when (e is IOException or SocketException)
            {
                // The gateway closed before taking everything; the answer is what counts.
            }
        });
        using var answer = new MemoryStream();
        var buffer = new byte[64 * 1024];
        while (true)
        {
            int n;
            try
            {
                n = await stream.ReadAsync(buffer, cts.Token);
            }
            catch (IOException)
            {
                break;
            }
            if (n == 0)
            {
                break;
            }
            answer.Write(buffer, 0, n);
        }
        await send;
        return answer.ToArray();
    }
}
