using Builder.Core.Options;

namespace Builder.Core.Tests.Options;

public sealed class OptionsErrorsTests
{
    [Fact]
    public void Passing_checks_add_nothing()
    {
        var errors = new OptionsErrors();
        errors.Require(true, "never");
        errors.Required("S:Name", "x");
        errors.InRange("S:Count", 1, 1, 64);
        errors.InRange("S:Interval", TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1), TimeSpan.FromDays(7));
        errors.AtLeast("S:KeepFor", TimeSpan.FromHours(1), TimeSpan.FromHours(1));
        errors.Positive("S:Timeout", TimeSpan.FromTicks(1));
        errors.AbsolutePath("S:Directory", "/var/lib/builder");

        Assert.Empty(errors);
    }

    [Fact]
    public void Every_failing_check_is_kept_in_order_naming_its_key_and_value()
    {
        var errors = new OptionsErrors();
        errors.Add("S:Own rule broken");
        errors.Require(false, "S:Other rule broken");
        errors.Required("S:Name", " ");
        errors.Required("S:Url", null, "(e.g. \"http://127.0.0.1:8600\")");
        errors.InRange("S:Count", 65, 1, 64);
        errors.InRange("S:Interval", TimeSpan.FromSeconds(5), TimeSpan.FromMinutes(1), TimeSpan.FromDays(7));
        errors.AtLeast("S:KeepFor", TimeSpan.FromMinutes(10), TimeSpan.FromHours(1));
        errors.Positive("S:Timeout", TimeSpan.Zero);
        errors.AbsolutePath("S:Directory", "relative");
        errors.AbsolutePath("S:Base", "srv/apt", "(e.g. \"/srv/apt\")");

        Assert.Equal(
        [
            "S:Own rule broken",
            "S:Other rule broken",
            "S:Name is required",
            "S:Url is required (e.g. \"http://127.0.0.1:8600\")",
            "S:Count must be from 1 to 64 (is 65)",
            "S:Interval must be from 00:01:00 to 7.00:00:00 (is 00:00:05)",
            "S:KeepFor must be at least 01:00:00 (is 00:10:00)",
            "S:Timeout must be positive (is 00:00:00)",
            "S:Directory must be an absolute path (is 'relative')",
            "S:Base must be an absolute path (e.g. \"/srv/apt\") (is 'srv/apt')",
        ], errors);
        Assert.Equal(10, errors.Count);
        Assert.Equal("S:Name is required", errors[2]);
    }
}
