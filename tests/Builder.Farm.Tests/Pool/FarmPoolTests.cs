using Builder.Farm.Pool;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Builder.Farm.Tests.Pool;

public sealed class FarmPoolTests
{
    [Fact]
    public void The_least_loaded_host_relative_to_its_slots_is_chosen()
    {
        var pool = Pool("a:1/4", "b:2/1");
        var first = pool.Acquire([]);   // both idle: either
        var second = pool.Acquire([]);  // the other one is idle now
        Assert.NotSame(first, second);
        var third = pool.Acquire([]);   // a at 1/4 vs b at 1/1
        Assert.Equal("a:1", third!.Name);
    }

    [Fact]
    public void Hosts_already_tried_are_skipped_and_none_left_gives_null()
    {
        var pool = Pool("a:1/2", "b:2/2");
        var a = pool.Hosts[0];
        var b = pool.Hosts[1];
        Assert.Same(b, pool.Acquire([a]));
        Assert.Null(pool.Acquire([a, b]));
    }

    [Fact]
    public void A_host_goes_down_only_after_consecutive_failures_and_up_only_after_consecutive_successes()
    {
        var pool = Pool("a:1/2", "b:2/2");
        var a = pool.Hosts[0];

        pool.ReportFailure(a, "refused");
        Assert.True(a.IsUp);
        pool.ReportSuccess(a);
        pool.ReportFailure(a, "refused");
        Assert.True(a.IsUp); // the success in between reset the count
        pool.ReportFailure(a, "refused");
        Assert.False(a.IsUp);
        Assert.Equal("b:2", pool.Acquire([])!.Name);

        pool.ReportSuccess(a);
        Assert.False(a.IsUp);
        pool.ReportFailure(a, "refused");
        pool.ReportSuccess(a);
        Assert.False(a.IsUp);
        pool.ReportSuccess(a);
        Assert.True(a.IsUp);
        Assert.Null(a.Status().LastError);
    }

    [Fact]
    public void With_every_host_down_nothing_is_acquired()
    {
        var pool = Pool("a:1/2");
        pool.ReportFailure(pool.Hosts[0], "x");
        pool.ReportFailure(pool.Hosts[0], "x");
        Assert.Null(pool.Acquire([]));
        Assert.Equal(new FarmHostStatus("a:1", false, 0, 2, 2, "x"), pool.Hosts[0].Status());
    }

    [Fact]
    public void A_compiled_job_vouches_for_a_host_for_one_interval_and_no_longer_after_a_failure()
    {
        var time = new FakeTimeProvider();
        var pool = Pool("a:1/2");
        var a = pool.Hosts[0];
        var interval = TimeSpan.FromSeconds(10);
        Assert.False(a.CompiledWithin(interval, time));

        a.ObserveCompiled(time.GetTimestamp());
        time.Advance(TimeSpan.FromSeconds(9));
        Assert.True(a.CompiledWithin(interval, time));
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.False(a.CompiledWithin(interval, time));

        a.ObserveCompiled(time.GetTimestamp());
        pool.ReportFailure(a, "reset");
        Assert.False(a.CompiledWithin(interval, time));
        pool.ReportFailure(a, "reset");
        a.ObserveCompiled(time.GetTimestamp()); // a job that was under way when the host went down
        Assert.False(a.CompiledWithin(interval, time));
    }

    private static FarmPool Pool(params string[] hosts)
    {
        var options = new FarmOptions();
        foreach (var h in hosts)
        {
            options.Hosts.Add(h);
        }
        return new FarmPool(Options.Create(options), NullLogger<FarmPool>.Instance);
    }
}
