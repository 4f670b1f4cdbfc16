using Builder.Audit.Options;
using Builder.Daemon.Audit;

namespace Builder.Daemon.Tests.Audit;

public sealed class AuditRetryPolicyTests
{
    private static AuditRetryPolicy Policy(double random) => new(Microsoft.Extensions.Options.Options.Create(new AuditOptions
    {
        RetryBase = TimeSpan.FromSeconds(30),
        RetryCap = TimeSpan.FromMinutes(5),
        RetryJitter = TimeSpan.FromSeconds(10),
    }), () => random);

    [Fact]
    public void Each_failure_doubles_the_wait_up_to_the_cap()
    {
        var policy = Policy(0);
        Assert.Equal(
            [30, 60, 120, 240, 300, 300],
            Enumerable.Range(1, 6).Select(n => policy.Delay(n).TotalSeconds));
        Assert.Equal(TimeSpan.FromMinutes(5), policy.Delay(int.MaxValue));
    }

    [Fact]
    public void Jitter_adds_at_most_the_configured_amount()
    {
        Assert.Equal(TimeSpan.FromSeconds(30), Policy(0).Delay(1));
        Assert.Equal(TimeSpan.FromSeconds(35), Policy(0.5).Delay(1));
        Assert.Equal(TimeSpan.FromSeconds(40), Policy(1).Delay(1));
        Assert.Equal(TimeSpan.FromSeconds(310), Policy(1).Delay(9));
    }
}
