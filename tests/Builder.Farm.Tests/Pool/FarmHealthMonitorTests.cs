using System.Text;
using Builder.Farm.Tests.Support;
using Builder.Tests.Common;

namespace Builder.Farm.Tests.Pool;

/// <summary>The health monitor against real distccd hosts: which hosts a round of checks probes.</summary>
[Trait(Categories.Name, Categories.Integration)]
public sealed class FarmHealthMonitorTests(OwnFarm farm) : IClassFixture<OwnFarm>
{
    private static readonly byte[] Source = Encoding.ASCII.GetBytes("# 1 \"h.c\"\nint h(void) { return 7; }\n");

    [Fact]
    public async Task A_host_that_just_compiled_a_job_is_not_probed_until_it_fails_and_the_other_host_is()
    {
        await using var gateway = new TestGateway(farm.Hosts, o => o.HealthInterval = TimeSpan.FromHours(1));
        await using var listener = await gateway.Gateway.OpenAsync(41, CancellationToken.None);
        await RawClient.ExchangeAsync(listener.Endpoint, Wire.Request(1, ["gcc", "-c", "h.c", "-o", "h.o"], Source));
        await listener.CloseAsync(CancellationToken.None);
        var worked = gateway.Pool.Hosts.Single(h => h.Name == Assert.Single(gateway.Sink.Records).Host);
        var (busy, idle) = worked.Endpoint.Port == farm.First.Port ? (farm.First, farm.Second) : (farm.Second, farm.First);
        var (busyBefore, idleBefore) = (busy.Connections(), idle.Connections());

        await gateway.Monitor.CheckAllAsync(CancellationToken.None);

        Assert.Equal(busyBefore, busy.Connections());
        Assert.Equal(idleBefore + 1, idle.Connections());

        gateway.Pool.ReportFailure(worked, "a job's connection broke");
        await gateway.Monitor.CheckAllAsync(CancellationToken.None);

        Assert.Equal(busyBefore + 1, busy.Connections());
        Assert.True(worked.IsUp, "one failure and then a good probe leave it up");
    }
}
