using System.Net;
using System.Net.Sockets;
using System.Text;
using Builder.Farm.Protocol;
using Builder.Farm.Records;
using Builder.Farm.Tests.Support;
using Builder.Tests.Common;

namespace Builder.Farm.Tests.Gateway;

[Trait(Categories.Name, Categories.Integration)]
public sealed class GatewayConcurrencyTests
{
    [Fact]
    public async Task A_build_never_has_more_jobs_on_the_farm_than_its_concurrency_limit()
    {
        await using var farmHost = HoldingFarmHost.Start();
        await using var gateway = new TestGateway([farmHost.HostSpec], o => o.PerBuildConcurrency = 2);
        await using var listener = await gateway.Gateway.OpenAsync(41, CancellationToken.None);
        var source = Encoding.ASCII.GetBytes("int x;\n");

        var clients = Enumerable.Range(0, 5)
            .Select(i => RawClient.ExchangeAsync(listener.Endpoint, Wire.Request(1, ["gcc", "-c", $"c{i}.c", "-o", $"c{i}.o"], source)))
            .ToList();
        // All five connections are being handled and two of them are held by the farm host: the other three wait.
        await Until(() => listener.JobsInProgress == 5 && farmHost.Current == 2);
        for (var i = 0; i < 5; i++)
        {
            farmHost.ReleaseOne();
        }
        var answers = await Task.WhenAll(clients);
        await listener.CloseAsync(CancellationToken.None);

        Assert.Equal(2, farmHost.Max);
        Assert.All(answers, a => Assert.StartsWith("DONE00000001STAT00000000", Encoding.ASCII.GetString(a), StringComparison.Ordinal));
        Assert.Equal(5, gateway.Sink.Records.Count(r => r.Outcome == CompileOutcomes.Compiled));
    }

    private static async Task Until(Func<bool> condition)
    {
        for (var i = 0; i < 1200 && !condition(); i++)
        {
            await Task.Delay(50);
        }
        Assert.True(condition(), "the jobs did not reach the expected state");
    }

    /// <summary>A farm host that holds every job until the test releases one, and counts how many it holds at once.</summary>
    private sealed class HoldingFarmHost : IAsyncDisposable
    {
        private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
        private readonly SemaphoreSlim _release = new(0);
        private readonly CancellationTokenSource _stop = new();
        private readonly List<Task> _jobs = [];
        private Task _loop = Task.CompletedTask;
        private int _current;
        private int _max;

        public string HostSpec => $"127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/8";

        public int Current => Volatile.Read(ref _current);

        public int Max => Volatile.Read(ref _max);

        public static HoldingFarmHost Start()
        {
            var h = new HoldingFarmHost();
            h._listener.Start();
            h._loop = h.LoopAsync();
            return h;
        }

        public void ReleaseOne() => _release.Release();

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            _listener.Stop();
            await _loop;
            await Task.WhenAll(_jobs);
            _stop.Dispose();
        }

        private async Task LoopAsync()
        {
            while (true)
            {
                Socket socket;
                try
                {
                    socket = await _listener.AcceptSocketAsync(_stop.Token);
                }
                catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
                {
                    return;
                }
                _jobs.Add(ServeAsync(socket));
            }
        }

        private async Task ServeAsync(Socket socket)
        {
            await using var stream = new NetworkStream(socket, ownsSocket: true);
            try
            {
                var request = await MessageReader.ReadRequestAsync(stream, Wire.Limits(), _stop.Token);
                var now = Interlocked.Increment(ref _current);
                InterlockedMax(ref _max, now);
                await _release.WaitAsync(_stop.Token);
                Interlocked.Decrement(ref _current);
                await stream.WriteAsync(MessageWriter.Response(new CompileResponse(request.Version, 0, ReadOnlyMemory<byte>.Empty,
                    ReadOnlyMemory<byte>.Empty, new byte[] { 0x7f, (byte)'E', (byte)'L', (byte)'F' })), _stop.Token);
            }
            catch (OperationCanceledException)
            {
                // Disposed.
            }
        }

        private static void InterlockedMax(ref int target, int value)
        {
            int seen;
            while ((seen = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, seen) != seen)
            {
            }
        }
    }
}
