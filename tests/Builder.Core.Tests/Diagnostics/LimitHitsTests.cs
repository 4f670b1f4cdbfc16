using Builder.Core.Diagnostics;
using Builder.Tests.Common;

namespace Builder.Core.Tests.Diagnostics;

public sealed class LimitHitsTests
{
    [Fact]
    public void Each_hit_is_counted_under_the_setting_that_holds_the_bound()
    {
        using var listener = new LimitHitsListener();
        LimitHits.Record("Test:LimitHitsTests");
        LimitHits.Record("Test:LimitHitsTests");
        LimitHits.Record("Test:Other");
        Assert.Equal(2, listener.Hits("Test:LimitHitsTests"));
        Assert.Equal(1, listener.Hits("Test:Other"));
    }

    [Fact]
    public void A_hit_without_a_setting_is_a_programming_error()
    {
        Assert.Throws<ArgumentException>(() => LimitHits.Record(" "));
    }
}
