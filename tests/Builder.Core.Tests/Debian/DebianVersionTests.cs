using Builder.Core.Debian;

namespace Builder.Core.Tests.Debian;

public sealed class DebianVersionTests
{
    [Theory]
    [InlineData("1.0~rc1", "1.0", -1)]
    [InlineData("1.0~rc1", "1.0~rc2", -1)]
    [InlineData("1.0~~", "1.0~", -1)]
    [InlineData("1.0~", "1.0", -1)]
    [InlineData("1:0.9", "2.0", 1)]
    [InlineData("1.0-1", "1.0+nmu1", -1)]
    [InlineData("1.0-1", "1.0-1+b1", -1)]
    [InlineData("1.0-1+b1", "1.0-2", -1)]
    [InlineData("2.10", "2.9", 1)]
    [InlineData("2.10-3", "2.10-2", 1)]
    [InlineData("1.0", "1.0-0", 0)]
    [InlineData("0:1.0", "1.0", 0)]
    [InlineData("1.0", "1.00", 0)]
    [InlineData("1.0a", "1.0", 1)]
    [InlineData("1.0a", "1.0+", -1)]
    [InlineData("1.0a", "1.0.", -1)]
    [InlineData("1.0", "1.0.0", -1)]
    [InlineData("1.2.3", "1.2.3a", -1)]
    [InlineData("7.6p2-4", "7.6-0", 1)]
    [InlineData("1.0.3-3", "1.0-1", 1)]
    [InlineData("1.3", "1.2.2-2", 1)]
    [InlineData("1:1.0", "0:9.9", 1)]
    [InlineData("10:1", "9:99", 1)]
    [InlineData("1.0-1ubuntu1", "1.0-1", 1)]
    [InlineData("1.0-1~bpo12+1", "1.0-1", -1)]
    [InlineData("2:1.2-3", "2:1.2-3", 0)]
    [InlineData("1.2-3-4", "1.2-3-5", -1)]
    [InlineData("1.0A", "1.0a", -1)]
    public void Compares_like_dpkg(string a, string b, int expected)
    {
        var va = DebianVersion.Parse(a);
        var vb = DebianVersion.Parse(b);
        Assert.Equal(expected, Math.Sign(DebianVersion.Compare(va, vb)));
        Assert.Equal(-expected, Math.Sign(DebianVersion.Compare(vb, va)));
        Assert.Equal(expected == 0, va == vb);
    }

    [Theory]
    [InlineData("1:2.10-3", 1, "2.10", "3")]
    [InlineData("2.10", 0, "2.10", "")]
    [InlineData("1.2-3-4", 0, "1.2-3", "4")]
    [InlineData("3:1:2-1", 3, "1:2", "1")]
    public void Parse_splits_epoch_upstream_at_last_dash_and_revision(string text, int epoch, string upstream, string revision)
    {
        var v = DebianVersion.Parse(text);
        Assert.Equal((epoch, upstream, revision), (v.Epoch, v.Upstream, v.Revision));
        Assert.Equal(text, v.ToString());
    }

    [Fact]
    public void Without_epoch_is_what_file_names_use()
    {
        Assert.Equal("2.10-3", DebianVersion.Parse("1:2.10-3").WithoutEpoch);
        Assert.Equal("2.10", DebianVersion.Parse("2.10").WithoutEpoch);
    }

    [Theory]
    [InlineData("", "version string is empty")]
    [InlineData("1.0 1", "version string has embedded spaces")]
    [InlineData(":1.0", "epoch in version is empty")]
    [InlineData("a:1.0", "epoch in version is not number")]
    [InlineData("99999999999:1.0", "epoch in version is too big")]
    [InlineData("1:", "version number is empty")]
    [InlineData("-1", "version number is empty")]
    [InlineData("1.0-", "revision number is empty")]
    [InlineData("a1.0", "version number does not start with digit")]
    [InlineData("1.0_1", "invalid character in version number")]
    [InlineData("1.0-1=2", "invalid character in revision number")]
    [InlineData("1.0-1:2", "epoch in version is not number")]
    [InlineData("1.0-a_b", "invalid character in revision number")]
    public void Invalid_versions_are_refused_with_dpkg_s_reason(string text, string reason)
    {
        Assert.False(DebianVersion.TryParse(text, out _, out var error));
        Assert.Equal(reason, error);
        var ex = Assert.Throws<FormatException>(() => DebianVersion.Parse(text));
        Assert.Equal($"invalid version '{text}': {reason}", ex.Message);
    }

    [Fact]
    public void An_invalid_version_is_quoted_cleaned_so_a_bidi_override_does_not_reach_the_message()
    {
        var ex = Assert.Throws<FormatException>(() => DebianVersion.Parse("1.0\u202E-1\u001b"));
        Assert.Equal("invalid version '1.0?-1?': invalid character in version number", ex.Message);
    }

    [Fact]
    public void A_version_longer_than_the_limit_is_refused_before_parsing()
    {
        Assert.False(DebianVersion.TryParse("1" + new string('.', DebianVersion.MaxLength), out _, out var error));
        Assert.Equal($"version string is longer than {DebianVersion.MaxLength} characters", error);
    }

    [Fact]
    public void Random_strings_never_crash_the_parser_and_parsed_versions_order_consistently()
    {
        var random = new Random(4711);
        const string alphabet = "0123456789.+-~:abzAZ_ !\0é";
        var parsed = new List<DebianVersion>();
        for (var i = 0; i < 20_000; i++)
        {
            var chars = new char[random.Next(0, 24)];
            for (var k = 0; k < chars.Length; k++)
            {
                chars[k] = alphabet[random.Next(alphabet.Length)];
            }
            if (DebianVersion.TryParse(new string(chars), out var v, out var error))
            {
                parsed.Add(v);
            }
            else
            {
                Assert.False(string.IsNullOrEmpty(error));
            }
        }
        Assert.NotEmpty(parsed);
        // A total order: sorting is stable under reversal and every neighbour pair is ordered.
        var sorted = parsed.Order().ToList();
        for (var i = 1; i < sorted.Count; i++)
        {
            Assert.True(DebianVersion.Compare(sorted[i - 1], sorted[i]) <= 0);
        }
    }
}
