using System.Net.Sockets;
using Builder.Farm.Protocol;

namespace Builder.Farm.Pool;

/// <summary>
/// One exchange with a farm distccd: connect, send the canonical request, read the whole answer. The socket is never
/// half-closed (distccd kills the compile when it sees the client's EOF); it is closed only after the answer.
/// </summary>
internal static class FarmConnection
{
    /// <exception cref="FarmHostException">connect failed, timed out, or the host closed or derailed before the answer was complete.</exception>
    public static async Task<FarmExchange> ExchangeAsync(FarmHostEndpoint host, EncodedMessage request, ProtocolVersion version,
        ProtocolLimits limits, TimeSpan connectTimeout, TimeSpan jobTimeout, TimeProvider time, CancellationToken cancellationToken)
    {
        var start = time.GetTimestamp();
        // Literal addresses skip the resolver; names are resolved per job so a moved host is followed.
        var literal = System.Net.IPAddress.TryParse(host.Host.Trim('[', ']'), out var address);
        using var socket = literal
            ? new Socket(address!.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true }
            : new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        using (var connectTimer = new CancellationTokenSource(connectTimeout, time))
        using (var connect = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, connectTimer.Token))
        {
            try
            {
                if (literal)
                {
                    await socket.ConnectAsync(new System.Net.IPEndPoint(address!, host.Port), connect.Token);
                }
                else
                {
                    await socket.ConnectAsync(host.Host, host.Port, connect.Token);
                }
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new FarmHostException($"connect to {host.Name} timed out after {connectTimeout.TotalSeconds:0.#} s");
            }
            catch (SocketException e)
            {
                throw new FarmHostException($"connect to {host.Name} failed: {e.SocketErrorCode}");
            }
        }
        using var job = new CancellationTokenSource(jobTimeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, job.Token);
        await using var stream = new NetworkStream(socket, ownsSocket: false);
        try
        {
            await request.WriteToAsync(stream, linked.Token);
            // The farm's time runs from connect until its answer is complete: distccd answers only after compiling
            // (queueing for a free distccd worker included, which a client talking to distccd directly waits for too),
            // and then writes the answer in separate unbuffered writes (DONE, STAT, SERR, SOUT, DOTO headers, then
            // sendfile of the object), which a direct client waits for as well. The rest of the job is the gateway's.
            var (response, firstBytesAt) = await MessageReader.ReadResponseAsync(stream, version, limits, time, linked.Token);
            var complete = time.GetTimestamp();
            return new FarmExchange(response, time.GetElapsedTime(start, complete), time.GetElapsedTime(firstBytesAt, complete));
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new FarmHostException($"{host.Name} did not answer within {jobTimeout.TotalSeconds:0.#} s (Farm:JobTimeout)", jobTimedOut: true);
        }
        catch (ProtocolException e)
        {
            throw new FarmHostException($"{host.Name}: {e.Message}");
        }
        catch (IOException e)
        {
            throw new FarmHostException($"{host.Name} broke the connection: {e.InnerException?.Message ?? e.Message}");
        }
    }
}
