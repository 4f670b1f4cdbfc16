using Builder.Daemon.Logs;

namespace Builder.Daemon.Tests.Logs;

public sealed class BuildLogOptionsValidatorTests
{
    [Fact]
    public void The_defaults_are_valid()
    {
        var result = new BuildLogOptionsValidator().Validate(null, new BuildLogOptions());

        Assert.True(result.Succeeded, result.FailureMessage);
    }

    [Fact]
    public void Every_bad_key_is_reported_at_once_with_its_key_and_value()
    {
        var result = new BuildLogOptionsValidator().Validate(null, new BuildLogOptions
        {
            Directory = "",
            FollowTimeout = TimeSpan.Zero,
            FollowPollInterval = TimeSpan.FromSeconds(-1),
            KeepFor = TimeSpan.FromMinutes(10),
            MaxBuildLog = 1000,
            MaxLineLength = 100,
        });

        Assert.Equal(
        [
            "Logs:Directory is required (e.g. \"/var/lib/builder/logs\")",
            "Logs:FollowTimeout must be positive (is 00:00:00)",
            "Logs:FollowPollInterval must be positive (is -00:00:01)",
            "Logs:KeepFor must be at least 01:00:00 (is 00:10:00)",
            $"Logs:MaxBuildLog must be at least {4 * BuildLogWriter.DaemonReserve} bytes (four times the daemon's reserved tail; is 1000)",
            "Logs:MaxLineLength must be from 256 to 1048576 (is 100)",
        ], result.Failures);
    }
}
