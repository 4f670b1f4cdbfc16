using System.Net;
using System.Net.Sockets;
using System.Text;
using Builder.Farm.Protocol;
using Builder.Farm.Records;
using Builder.Farm.Tests.Support;
using Builder.Tests.Common;

namespace Builder.Farm.Tests.Gateway;

/// <summary>Farm hosts that die, refuse connections or hang up before DONE: jobs move to another host.</summary>
[Trait(Categories.Name, Categories.Integration)]
public sealed class GatewayFailoverTests(OwnFarm farm) : IClassFixture<OwnFarm>
{
    private static readonly byte[] Source = Encoding.ASCII.GetBytes("# 1 \"f.c\"\nint f(void) { return 5; }\n");

    [Fact]
    public async Task A_host_that_hangs_up_before_DONE_or_refuses_connections_is_retried_elsewhere_and_marked_down()
    {
        await using var hangUp = ScriptedFarmHost.HangUp();
        var closedPort = TestPorts.Unused();
        await using var gateway = new TestGateway([hangUp.HostSpec, $"127.0.0.1:{closedPort}/2", farm.First.HostSpec(2)],
            o => o.FailuresToMarkDown = 2);
        await using var listener = await gateway.Gateway.OpenAsync(31, CancellationToken.None);

        for (var i = 0; i < 6; i++)
        {
            var answer = await RawClient.ExchangeAsync(listener.Endpoint, Wire.Request(1, ["gcc", "-c", $"f{i}.c", "-o", $"f{i}.o"], Source));
            Assert.True(ResponseParser.TryParse(new System.Buffers.ReadOnlySequence<byte>(answer), ProtocolVersion.Plain, Wire.Limits(), out var r, out _));
            Assert.Equal(0u, r!.Status);
        }
        await listener.CloseAsync(CancellationToken.None);

        var records = gateway.Sink.Records;
        Assert.All(records, r => Assert.Equal(CompileOutcomes.Compiled, r.Outcome));
        Assert.All(records, r => Assert.Equal(farm.First.HostSpec(2)[..^2], r.Host));
        Assert.Contains(records, r => r.Attempts > 1);
        Assert.True(hangUp.Accepted > 0, "the hang-up host was tried");
        var status = gateway.Gateway.Hosts;
        Assert.False(status[0].IsUp, status[0].ToString());
        Assert.False(status[1].IsUp, status[1].ToString());
        Assert.True(status[2].IsUp);
        Assert.Equal($"connect to 127.0.0.1:{closedPort} failed: ConnectionRefused", status[1].LastError);
        // Reset or plain close, depending on whether the kernel still held unread request bytes.
        Assert.StartsWith($"127.0.0.1:{hangUp.Port}", status[0].LastError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_every_host_failing_the_client_gets_a_refusal_after_at_most_two_retries()
    {
        await using var hangUp = ScriptedFarmHost.HangUp();
        await using var gateway = new TestGateway([hangUp.HostSpec, $"127.0.0.1:{TestPorts.Unused()}/2", $"127.0.0.1:{TestPorts.Unused()}/2", $"127.0.0.1:{TestPorts.Unused()}/2"],
            o => o.FailuresToMarkDown = 10);
        await using var listener = await gateway.Gateway.OpenAsync(32, CancellationToken.None);

        var answer = await RawClient.ExchangeAsync(listener.Endpoint, Wire.Request(1, ["gcc", "-c", "f.c", "-o", "f.o"], Source));
        await listener.CloseAsync(CancellationToken.None);

        Assert.Equal("DONE00000001STAT00000100", Encoding.ASCII.GetString(answer, 0, 24));
        var record = Assert.Single(gateway.Sink.Records);
        Assert.Equal(CompileOutcomes.FarmUnavailable, record.Outcome);
        Assert.Equal(3, record.Attempts);
        Assert.Equal(2, record.Reason!.Count(c => c == ';'));
    }

    [Fact]
    public async Task A_job_that_outlives_the_job_timeout_is_not_retried_and_does_not_count_against_the_host()
    {
        await using var silent = ScriptedFarmHost.HangUp(hold: true);
        await using var gateway = new TestGateway([silent.HostSpec, farm.First.HostSpec(2)], o =>
        {
            o.JobTimeout = TimeSpan.FromSeconds(1);
            o.FailuresToMarkDown = 1;
        });
        // Only the silent host may take the job.
        gateway.Pool.ReportFailure(gateway.Pool.Hosts[1], "taken out by the test");
        await using var listener = await gateway.Gateway.OpenAsync(34, CancellationToken.None);

        var answer = await RawClient.ExchangeAsync(listener.Endpoint, Wire.Request(1, ["gcc", "-c", "f.c", "-o", "f.o"], Source));
        await listener.CloseAsync(CancellationToken.None);

        Assert.Equal("DONE00000001STAT00000100", Encoding.ASCII.GetString(answer, 0, 24));
        var record = Assert.Single(gateway.Sink.Records);
        Assert.Equal(CompileOutcomes.FarmUnavailable, record.Outcome);
        Assert.Equal(1, record.Attempts);
        Assert.Equal($"{silent.HostSpec[..^2]} did not answer within 1 s (Farm:JobTimeout)", record.Reason);
        Assert.True(gateway.Gateway.Hosts[0].IsUp);
    }

    [Fact]
    public async Task A_farm_host_that_pauses_inside_its_answer_has_the_pause_counted_as_farm_time()
    {
        // distccd writes its answer in separate writes (DONE, STAT, SERR, SOUT, DOTO, then the object): a pause
        // between them is the farm's, which a client talking to distccd directly waits for too.
        var pause = TimeSpan.FromMilliseconds(400);
        await using var slow = ScriptedFarmHost.PausingAnswer(pause);
        await using var gateway = new TestGateway([slow.HostSpec]);
        await using var listener = await gateway.Gateway.OpenAsync(35, CancellationToken.None);

        var answer = await RawClient.ExchangeAsync(listener.Endpoint, Wire.Request(1, ["gcc", "-c", "f.c", "-o", "f.o"], Source));
        await listener.CloseAsync(CancellationToken.None);

        Assert.Equal("DONE00000001STAT00000000SERR00000000SOUT00000000DOTO00000004OBJ!", Encoding.ASCII.GetString(answer));
        var record = Assert.Single(gateway.Sink.Records);
        Assert.Equal(CompileOutcomes.Compiled, record.Outcome);
        // Half the pause as the bound: timers may fire a little early and the record keeps whole milliseconds; a farm
        // time ending at the first answer byte would be a few milliseconds.
        Assert.True(record.FarmMs >= (int)pause.TotalMilliseconds / 2, $"farm time {record.FarmMs} ms, the host paused {pause.TotalMilliseconds} ms inside its answer");
        Assert.True(record.DurationMs >= record.FarmMs);
    }

    [Fact]
    public async Task Killing_a_distccd_during_make_j_keeps_the_build_correct_and_the_host_comes_back_when_restarted()
    {
        var dir = FarmTestEnvironment.NewDirectory("farm-kill");
        var project = CProject.Create(dir, files: 14, weight: 40);
        await project.CompileDirectAsync();
        await using var gateway = new TestGateway(farm.Hosts, o =>
        {
            o.HealthInterval = TimeSpan.FromMilliseconds(300);
            o.FailuresToMarkDown = 2;
            o.SuccessesToMarkUp = 2;
            o.RecordFlushInterval = TimeSpan.Zero; // the records are watched while the build runs
        });
        await gateway.StartHealthChecksAsync();
        await using var listener = await gateway.Gateway.OpenAsync(33, CancellationToken.None);
        var victim = gateway.Pool.Hosts[1];

        var make = TestProcess.RunAsync("make", ["-j4", "CC=distcc gcc", "CFLAGS=" + CProject.Flags], dir,
            DistccClient.Environment(listener.Endpoint.Port, Path.Combine(dir, ".distcc")));
        // Kill it while it has a job in flight and after it finished at least one.
        await Until(() => victim.Active > 0 && gateway.Sink.Records.Any(r => r.Host == victim.Name), "the victim host was busy");
        farm.Second.Kill();
        var result = await make;

        Assert.True(result.ExitCode == 0, result.ToString());
        project.AssertObjectsMatchDirect();
        await Until(() => !victim.IsUp, "the killed host was marked down");
        await listener.CloseAsync(CancellationToken.None);
        var records = gateway.Sink.Records;
        Assert.Equal(14, records.Count);
        Assert.All(records, r => Assert.Equal(CompileOutcomes.Compiled, r.Outcome));
        Assert.Contains(records, r => r.Host == victim.Name);
        Assert.Contains(records, r => r.Host != victim.Name);
        // The job in flight on the victim (and any sent there before it was marked down) went to the other host.
        Assert.Contains(records, r => r.Attempts > 1 && r.Host != victim.Name);

        await farm.Second.StartAsync();
        await Until(() => victim.IsUp, "the restarted host came back up");
    }

    private static async Task Until(Func<bool> condition, string what)
    {
        // A generous bound so a broken gateway fails the test instead of hanging it; no timing is asserted.
        for (var i = 0; i < 1200; i++)
        {
            if (condition())
            {
                return;
            }
            await Task.Delay(50);
        }
        Assert.Fail($"gave up waiting until {what}");
    }

    /// <summary>
    /// A farm host on a loopback port that serves every connection (the jobs, and any health probe) with a script of
    /// its own, concurrently; each connection is closed when its script ends.
    /// </summary>
    private sealed class ScriptedFarmHost : IAsyncDisposable
    {
        private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
        private readonly CancellationTokenSource _stop = new();
        private readonly List<Task> _connections = [];
        private readonly Func<Socket, CancellationToken, Task> _script;
        private Task _loop = Task.CompletedTask;
        private int _accepted;

        private ScriptedFarmHost(Func<Socket, CancellationToken, Task> script) => _script = script;

        public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

        public string HostSpec => $"127.0.0.1:{Port}/8";

        public int Accepted => Volatile.Read(ref _accepted);

        /// <summary>Takes the request and hangs up without answering (a distccd dying mid-job).</summary>
        /// <param name="hold">take the request and never answer (a compile that runs forever) instead of hanging up.</param>
        public static ScriptedFarmHost HangUp(bool hold = false) => Start(async (socket, ct) =>
        {
            await socket.ReceiveAsync(new byte[64], SocketFlags.None, ct);
            if (hold)
            {
                await Task.Delay(Timeout.Infinite, ct);
            }
        });

        /// <summary>Answers its first headers at once and the rest of its answer after <paramref name="pause"/>.</summary>
        public static ScriptedFarmHost PausingAnswer(TimeSpan pause) => Start(async (socket, ct) =>
        {
            socket.NoDelay = true;
            await using var stream = new NetworkStream(socket, ownsSocket: false);
            // The whole request, so closing later does not reset the connection over unread bytes.
            await MessageReader.ReadRequestAsync(stream, Wire.Limits(), ct);
            await socket.SendAsync(Encoding.ASCII.GetBytes("DONE00000001STAT00000000SERR00000000SOUT00000000"), SocketFlags.None, ct);
            await Task.Delay(pause, ct);
            await socket.SendAsync(Encoding.ASCII.GetBytes("DOTO00000004OBJ!"), SocketFlags.None, ct);
            // Until the gateway closes: a farm host never closes first.
            await socket.ReceiveAsync(new byte[1], SocketFlags.None, ct);
        });

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            _listener.Stop();
            await _loop;
            await Task.WhenAll(_connections);
            _stop.Dispose();
        }

        private static ScriptedFarmHost Start(Func<Socket, CancellationToken, Task> script)
        {
            var host = new ScriptedFarmHost(script);
            host._listener.Start();
            host._loop = host.AcceptLoopAsync();
            return host;
        }

        private async Task AcceptLoopAsync()
        {
            while (!_stop.IsCancellationRequested)
            {
                try
                {
                    var socket = await _listener.AcceptSocketAsync(_stop.Token);
                    Interlocked.Increment(ref _accepted);
                    _connections.Add(ServeAsync(socket));
                }
                catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
                {
                    if (_stop.IsCancellationRequested)
                    {
                        return;
                    }
                }
            }
        }

        private async Task ServeAsync(Socket socket)
        {
            using var owned = socket;
            try
            {
                await _script(socket, _stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException or IOException or ProtocolException)
            {
                // Disposed by the test, or the gateway went away.
            }
        }
    }
}
