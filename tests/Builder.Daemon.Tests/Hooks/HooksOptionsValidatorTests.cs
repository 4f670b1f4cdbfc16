using Builder.Daemon.Hooks;

namespace Builder.Daemon.Tests.Hooks;

public sealed class HooksOptionsValidatorTests
{
    [Fact]
    public void The_defaults_are_valid()
    {
        Assert.True(new HooksOptionsValidator().Validate(null, new HooksOptions()).Succeeded);
    }

    [Fact]
    public void Every_bad_key_is_reported_at_once_with_its_key_and_value()
    {
        var result = new HooksOptionsValidator().Validate(null, new HooksOptions { Directory = " ", Timeout = TimeSpan.Zero });

        Assert.Equal(
        [
            "Hooks:Directory is required (e.g. \"/etc/builder/hooks\")",
            "Hooks:Timeout must be positive (is 00:00:00)",
        ], result.Failures);
    }
}
