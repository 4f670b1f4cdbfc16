using Builder.Audit.Options;
using Microsoft.Extensions.Options;

namespace Builder.Daemon.Audit;

/// <summary>Exponential back-off: RetryBase · 2^(failures-1), at most RetryCap, plus up to RetryJitter at random.</summary>
internal sealed class AuditRetryPolicy(IOptions<AuditOptions> options, Func<double> random)
{
    public AuditRetryPolicy(IOptions<AuditOptions> options) : this(options, Random.Shared.NextDouble)
    {
    }

    public TimeSpan Delay(int failures)
    {
        var o = options.Value;
        var exponent = Math.Clamp(failures - 1, 0, 30);
        var backoff = TimeSpan.FromTicks((long)Math.Min(o.RetryCap.Ticks, o.RetryBase.Ticks * Math.Pow(2, exponent)));
        return backoff + (o.RetryJitter * Math.Clamp(random(), 0, 1));
    }
}
