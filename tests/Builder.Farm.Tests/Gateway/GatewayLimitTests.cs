using System.Net;
using System.Net.Sockets;
using Builder.Farm.Protocol;
using Builder.Farm.Records;
using Builder.Farm.Tests.Support;
using Builder.Tests.Common;

namespace Builder.Farm.Tests.Gateway;

/// <summary>
/// Slow clients over raw loopback sockets, as a guest would hold them: announced bodies cost nothing until they arrive,
/// connections beyond Farm:MaxConnectionsPerBuild are closed at once, and bodies beyond Farm:MaxInFlightBytesPerBuild
/// are refused. No farm host is needed: none of these jobs gets that far.
/// </summary>
public sealed class GatewayLimitTests
{
    private static readonly string[] Argv = ["gcc", "-c", "a.c", "-o", "a.o"];

    [Fact]
    public async Task Connections_beyond_MaxConnectionsPerBuild_are_closed_at_once_and_counted()
    {
        using var hits = new LimitHitsListener();
        await using var gateway = new TestGateway(["127.0.0.1:9/1"], o => o.MaxConnectionsPerBuild = 4);
        await using var listener = await gateway.Gateway.OpenAsync(31, CancellationToken.None);
        var buildLog = new System.Collections.Concurrent.ConcurrentQueue<string>();
        listener.LimitNotices.Sink = buildLog.Enqueue;
        var held = new List<Socket>();
        for (var i = 0; i < 4; i++)
        {
            held.Add(await HoldAsync(listener.Endpoint, 64 << 20, 4096));
        }
        await WaitUntilAsync(() => listener.JobsInProgress == 4);

        var extra = new List<Socket>();
        for (var i = 0; i < 3; i++)
        {
            extra.Add(await HoldAsync(listener.Endpoint, 64 << 20, 4096));
        }
        foreach (var s in extra)
        {
            Assert.True(await ClosedAsync(s), "a connection beyond the limit must be closed by the gateway");
        }
        Assert.True(hits.Hits("Farm:MaxConnectionsPerBuild") >= 3);
        Assert.Equal(4, listener.JobsInProgress);
        // Three hits, one line for the build's log.
        var line = Assert.Single(buildLog);
        Assert.Equal("compile farm gateway: this build reached Farm:MaxConnectionsPerBuild; it holds 4 connections, and further ones are closed at once"
            + " (said once per build; every hit is counted)", line);

        // Once one held connection ends, the build may open another.
        held[0].Close(0);
        await WaitUntilAsync(() => listener.JobsInProgress == 3);
        held[0] = await HoldAsync(listener.Endpoint, 64 << 20, 4096);
        await WaitUntilAsync(() => listener.JobsInProgress == 4);
        foreach (var s in held.Concat(extra))
        {
            s.Dispose();
        }
    }

    [Fact]
    public async Task A_body_beyond_MaxInFlightBytesPerBuild_is_refused_with_status_1_and_recorded()
    {
        using var hits = new LimitHitsListener();
        await using var gateway = new TestGateway(["127.0.0.1:9/1"], o =>
        {
            o.MaxInFlightBytesPerBuild = 1 << 20;
            o.PerBuildConcurrency = 4;
        });
        await using var listener = await gateway.Gateway.OpenAsync(32, CancellationToken.None);
        var buildLog = new System.Collections.Concurrent.ConcurrentQueue<string>();
        listener.LimitNotices.Sink = buildLog.Enqueue;
        using var first = await HoldAsync(listener.Endpoint, 900_000, 700_000);
        using var second = await HoldAsync(listener.Endpoint, 900_000, 700_000);

        // Which of the two is refused depends on which the gateway took in first; the other holds its bytes and waits.
        var reads = new[] { ReadAllAsync(first), ReadAllAsync(second) };
        var answered = await Task.WhenAny(reads);
        var text = System.Text.Encoding.UTF8.GetString(await answered);

        Assert.StartsWith("DONE00000001STAT00000100SERR", text, StringComparison.Ordinal);
        Assert.Contains("(Farm:MaxInFlightBytesPerBuild)", text, StringComparison.Ordinal);
        Assert.True(hits.Hits("Farm:MaxInFlightBytesPerBuild") >= 1);
        Assert.Contains(buildLog, l => l.StartsWith("compile farm gateway: this build reached Farm:MaxInFlightBytesPerBuild; ", StringComparison.Ordinal));
        first.Close(0);
        second.Close(0);
        await Task.WhenAll(reads);
        await listener.CloseAsync(CancellationToken.None);
        // Interleaved growth can refuse both; at least one is, always for this reason, with the client's argv recorded.
        var refused = gateway.Sink.Records.Where(r => r.Outcome == CompileOutcomes.Refused).ToList();
        Assert.NotEmpty(refused);
        Assert.All(refused, r => Assert.Contains("Farm:MaxInFlightBytesPerBuild", r.Reason, StringComparison.Ordinal));
        Assert.All(refused, r => Assert.Equal(Argv, r.Argv));
    }

    /// <summary>A client that sends the head, announces <paramref name="announced"/> body bytes, sends <paramref name="send"/> of them and holds.</summary>
    private static async Task<Socket> HoldAsync(IPEndPoint endpoint, int announced, int send)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        var bytes = Wire.Concat(Wire.Request(1, Argv, [])[..^12], Wire.Header("DOTI", (uint)announced), new byte[send]);
        try
        {
            await socket.ConnectAsync(endpoint);
            await socket.SendAsync(bytes);
        }
        catch (SocketException)
        {
            // Closed by the gateway before everything was sent: what the test looks at.
        }
        return socket;
    }

    private static async Task<bool> ClosedAsync(Socket socket)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            return await socket.ReceiveAsync(new byte[16], cts.Token) == 0;
        }
        catch (SocketException)
        {
            return true; // reset: closed as well
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private static async Task<byte[]> ReadAllAsync(Socket socket)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        using var answer = new MemoryStream();
        var buffer = new byte[64 * 1024];
        try
        {
            while (await socket.ReceiveAsync(buffer, cts.Token) is var n and > 0)
            {
                answer.Write(buffer, 0, n);
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // The answer came before the reset, or the test closed this client.
        }
        return answer.ToArray();
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!condition())
        {
            await Task.Delay(20, cts.Token);
        }
    }
}
