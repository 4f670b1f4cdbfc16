using System.Text;
using Builder.Farm.Records;
using Builder.Farm.Tests.Support;
using Builder.Tests.Common;

namespace Builder.Farm.Tests.Gateway;

/// <summary>
/// Farm pools as trust domains, with the two real distccd ops/test starts as the pools dev (farm1) and prod (farm2):
/// a listener opened for one pool sends jobs to that pool's hosts only, even when they are all down.
/// </summary>
[Trait(Categories.Name, Categories.Integration)]
public sealed class GatewayPoolTests
{
    [Fact]
    public async Task A_dev_build_s_jobs_never_reach_the_prod_pool_s_distccd_and_a_prod_build_s_never_reach_dev_s()
    {
        var hosts = FarmTestEnvironment.Hosts();
        var logs = FarmTestEnvironment.Logs();
        await using var farm = new TestGateway([], o =>
        {
            o.Pools["dev"] = [hosts[0]];
            o.Pools["prod"] = [hosts[1]];
        });

        var dev = await BuildAsync(farm, "dev", 31);
        var prod = await BuildAsync(farm, "prod", 32);

        Assert.Equal(8, await CountJobsAsync(logs[0], dev.Token, 8));
        Assert.Equal(8, await CountJobsAsync(logs[1], prod.Token, 8));
        Assert.DoesNotContain(dev.Token, DistccdProcess.ReadShared(logs[1]), StringComparison.Ordinal);
        Assert.DoesNotContain(prod.Token, DistccdProcess.ReadShared(logs[0]), StringComparison.Ordinal);
        var records = farm.Sink.Records;
        Assert.All(records.Where(r => r.BuildId == 31), r => Assert.Equal(("dev", hosts[0][..^2], CompileOutcomes.Compiled), (r.Pool, r.Host, r.Outcome)));
        Assert.All(records.Where(r => r.BuildId == 32), r => Assert.Equal(("prod", hosts[1][..^2], CompileOutcomes.Compiled), (r.Pool, r.Host, r.Outcome)));
        Assert.Equal([("dev", hosts[0][..^2]), ("prod", hosts[1][..^2])], farm.Gateway.Hosts.Select(h => (h.Pool, h.Name)).Order());
    }

    [Fact]
    public async Task When_every_host_of_a_pool_is_down_its_jobs_fail_over_to_nothing_not_to_another_pool()
    {
        var hosts = FarmTestEnvironment.Hosts();
        var deadPort = TestPorts.Unused();
        await using var farm = new TestGateway([], o =>
        {
            o.Pools["dev"] = [$"127.0.0.1:{deadPort}/2"];
            o.Pools["prod"] = [hosts[1]];
        });
        await using var listener = await farm.Gateway.OpenAsync(33, 1, "dev", CancellationToken.None);
        var token = "p" + Guid.NewGuid().ToString("N")[..10];

        var answer = await RawClient.ExchangeAsync(listener.Endpoint,
            Wire.Request(1, ["gcc", "-c", token + ".c", "-o", token + ".o"], Encoding.ASCII.GetBytes($"int {token}(void) {{ return 1; }}\n")));
        await listener.CloseAsync(CancellationToken.None);

        Assert.StartsWith("DONE00000001STAT00000100", Encoding.ASCII.GetString(answer), StringComparison.Ordinal);
        var record = Assert.Single(farm.Sink.Records);
        Assert.Equal((CompileOutcomes.FarmUnavailable, "dev", $"127.0.0.1:{deadPort}"), (record.Outcome, record.Pool, record.Host));
        Assert.DoesNotContain(token, DistccdProcess.ReadShared(FarmTestEnvironment.Logs()[1]), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Opening_a_listener_for_a_pool_that_is_not_configured_fails_naming_the_pools()
    {
        await using var farm = new TestGateway([], o => o.Pools["dev"] = [FarmTestEnvironment.Hosts()[0]]);
        var e = await Assert.ThrowsAsync<ArgumentException>(() => farm.Gateway.OpenAsync(34, 1, "prod", CancellationToken.None));
        Assert.StartsWith("no farm pool 'prod' is configured (Farm:Pools has dev)", e.Message, StringComparison.Ordinal);
    }

    private static async Task<CProject> BuildAsync(TestGateway farm, string pool, long buildId)
    {
        var dir = FarmTestEnvironment.NewDirectory("farm-pool-" + pool);
        var project = CProject.Create(dir, files: 8);
        await using var listener = await farm.Gateway.OpenAsync(buildId, 1, pool, CancellationToken.None);
        var make = await TestProcess.RunAsync("make", ["-j4", "CC=distcc gcc", "CFLAGS=" + CProject.Flags], dir,
            DistccClient.Environment(listener.Endpoint.Port, Path.Combine(dir, ".distcc")));
        await listener.CloseAsync(CancellationToken.None);
        Assert.True(make.ExitCode == 0, make.ToString());
        Assert.Equal(pool, listener.Pool);
        return project;
    }

    /// <summary>COMPILE_OK lines of <paramref name="token"/>'s jobs; distccd logs them after the answer, so wait for them a little.</summary>
    private static async Task<int> CountJobsAsync(string log, string token, int expected)
    {
        int Count() => DistccdProcess.ReadShared(log).Split('\n').Count(l => l.Contains("COMPILE_OK", StringComparison.Ordinal) && l.Contains(token, StringComparison.Ordinal));
        for (var i = 0; i < 600 && Count() < expected; i++)
        {
            await Task.Delay(50);
        }
        return Count();
    }
}
