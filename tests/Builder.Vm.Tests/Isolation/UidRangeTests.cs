using Builder.Vm.Isolation;

namespace Builder.Vm.Tests.Isolation;

public sealed class UidRangeTests
{
    [Theory]
    [InlineData("2000000-2000999", 2000000u, 2000999u, 1000L)]
    [InlineData("1000-1000", 1000u, 1000u, 1L)]
    [InlineData("4294967000-4294967294", 4294967000u, 4294967294u, 295L)]
    public void A_range_parses_to_its_bounds_and_count(string text, uint first, uint last, long count)
    {
        var range = UidRange.Parse(text, out var error);

        Assert.Null(error);
        Assert.Equal(new UidRange(first, last), range);
        Assert.Equal(count, range!.Value.Count);
        Assert.Equal(count, range.Value.Uids().LongCount());
        Assert.Equal(text, range.Value.ToString());
        Assert.True(range.Value.Contains(first) && range.Value.Contains(last) && !range.Value.Contains(first - 1));
    }

    [Theory]
    [InlineData("", "Vm:UidRange must be FIRST-LAST (decimal uids, e.g. 2000000-2000999) or empty, was ''")]
    [InlineData("+2000000-2000999", "Vm:UidRange must be FIRST-LAST (decimal uids, e.g. 2000000-2000999) or empty, was '+2000000-2000999'")]
    [InlineData("2000000-2000999-3", "Vm:UidRange must be FIRST-LAST (decimal uids, e.g. 2000000-2000999) or empty, was '2000000-2000999-3'")]
    [InlineData("999-2000", "Vm:UidRange '999-2000' must lie within 1000-4294967294 (lower uids are system and login accounts)")]
    public void A_bad_range_names_the_key_and_the_value(string text, string expected)
    {
        Assert.Null(UidRange.Parse(text, out var error));
        Assert.Equal(expected, error);
    }
}
