using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using Builder.Farm.Gateway;
using Builder.Tests.Common;
using Builder.Vm.Jobs;
using Microsoft.Extensions.DependencyInjection;

namespace Builder.Vm.Tests.Running;

/// <summary>
/// The gateway's memory under a guest that floods it with connections. The gateway runs in this test process, so the
/// test runs alone (its collection disables parallelization): with other test classes running beside it, their
/// allocations counted as the gateway's growth (+212 MiB once, against +12 MiB measured alone).
/// </summary>
[Trait(Categories.Name, Categories.Integration)]
[Collection(QuietProcessCollection.Name)]
public sealed partial class ConnFloodTests(VmFixture fixture) : IClassFixture<VmFixture>
{
    /// <summary>What the gateway process (this test process) may grow by while the guest floods it.</summary>
    private const long FloodRssBound = 200L << 20;

    [GeneratedRegex(@"^builder-connflood: opened (\d+)/200 closed-early (\d+) held (\d+)$")]
    private static partial Regex FloodResult();

    [Fact]
    public async Task A_guest_holding_200_connections_that_announce_64_MiB_each_is_bounded_and_another_builds_jobs_still_compile()
    {
        using var hits = new LimitHitsListener();
        using var runner = fixture.Runner();
        using var farm = fixture.Gateway();
        var gateways = farm.Services.GetRequiredService<IFarmGateway>();
        await using var flooded = await gateways.OpenAsync(9, CancellationToken.None);
        await using var other = await gateways.OpenAsync(10, CancellationToken.None);
        Assert.Equal(0u, (await CompileOnHostAsync(other.Endpoint)).Status); // warm: JIT and first farm connection count in the baseline
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        var baseline = ProcessStatusKib("VmRSS");
        var holding = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        long peak = baseline;
        using var sampling = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!sampling.IsCancellationRequested)
            {
                peak = Math.Max(peak, ProcessStatusKib("VmRSS"));
                await Task.Delay(100, CancellationToken.None);
            }
        }, CancellationToken.None);

        var run = runner.RunAsync(new VmJob
        {
            BuildId = 9, Gateway = flooded.Endpoint, Mode = GuestMode.ConnFlood, FloodConnections = 200, FloodAnnounceMib = 64,
            LogLine = l =>
            {
                if (l.StartsWith("builder-connflood: holding", StringComparison.Ordinal))
                {
                    holding.TrySetResult();
                }
            },
        }, CancellationToken.None);
        await Task.WhenAny(holding.Task, run);
        Assert.True(holding.Task.IsCompleted, "the guest never reported holding its connections");
        // While the flood holds its connections: another build's jobs, through the same gateway process, compile.
        var answers = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => CompileOnHostAsync(other.Endpoint)));
        var result = await run;
        await sampling.CancelAsync();
        await sampler;

        Assert.True(result.Outcome == VmOutcome.Succeeded, $"{result.Outcome}: {result.Reason}\n{VmRunnerTests.Tail(result.LogPath)}");
        Assert.All(answers, a => Assert.True(a.Status == 0 && a.Text.StartsWith("DONE00000001STAT00000000", StringComparison.Ordinal), a.Text));
        var line = Assert.Single(File.ReadAllLines(result.LogPath), l => FloodResult().IsMatch(l));
        var m = FloodResult().Match(line);
        var closedEarly = int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture);
        var held = int.Parse(m.Groups[3].Value, CultureInfo.InvariantCulture);
        Assert.True(closedEarly >= 200 - 32, line);
        Assert.True(held <= 32, line);
        Assert.True(hits.Hits("Farm:MaxConnectionsPerBuild") >= closedEarly, $"{hits.Hits("Farm:MaxConnectionsPerBuild")} hits, {line}");
        var grewKib = peak - baseline;
        // The figures for the benchmark notes: test output is not shown for a passing test, so they go beside the assembly.
        await File.WriteAllTextAsync(Path.Combine(AppContext.BaseDirectory, "connflood-figures.txt"),
            $"{line}; gateway process RSS baseline {baseline / 1024} MiB, peak {peak / 1024} MiB (+{grewKib / 1024} MiB)\n");
        Assert.True(grewKib * 1024 < FloodRssBound, $"the gateway process grew by {grewKib / 1024} MiB (bound {FloodRssBound >> 20} MiB)");
    }

    /// <summary>One valid compile job over a raw socket from the host, as another build's distcc client sends it.</summary>
    private static async Task<(uint Status, string Text)> CompileOnHostAsync(IPEndPoint endpoint)
    {
        static string H(string token, int value) => string.Create(CultureInfo.InvariantCulture, $"{token}{value:x8}");
        string[] argv = ["gcc", "-O2", "-c", "raw.c", "-o", "raw.o"];
        const string source = "# 1 \"raw.c\"\nint raw(void) { return 5; }\n";
        var request = new StringBuilder(H("DIST", 1)).Append(H("ARGC", argv.Length));
        foreach (var a in argv)
        {
            request.Append(H("ARGV", a.Length)).Append(a);
        }
        request.Append(H("DOTI", source.Length)).Append(source);
        using var client = new TcpClient();
        await client.ConnectAsync(endpoint);
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request.ToString()));
        using var answer = new MemoryStream();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await stream.CopyToAsync(answer, timeout.Token);
        var text = Encoding.Latin1.GetString(answer.ToArray());
        var status = text.Length >= 24 ? uint.Parse(text.AsSpan(16, 8), NumberStyles.HexNumber, CultureInfo.InvariantCulture) : uint.MaxValue;
        return (status, text.Length > 200 ? text[..200] : text);
    }

    private static long ProcessStatusKib(string field)
    {
        foreach (var l in File.ReadLines("/proc/self/status"))
        {
            if (l.StartsWith(field + ":", StringComparison.Ordinal))
            {
                return long.Parse(l[(field.Length + 1)..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
            }
        }
        throw new InvalidOperationException($"/proc/self/status has no {field}");
    }
}
