using Builder.Daemon.Scheduling;

namespace Builder.Daemon.Tests.Scheduling;

public sealed class SchedulerOptionsValidatorTests
{
    [Fact]
    public void The_defaults_are_valid()
    {
        var result = new SchedulerOptionsValidator().Validate(null, new SchedulerOptions());

        Assert.True(result.Succeeded, result.FailureMessage);
    }

    [Fact]
    public void Every_bad_key_is_reported_at_once_with_its_key_and_value()
    {
        var result = new SchedulerOptionsValidator().Validate(null, new SchedulerOptions
        {
            Slots = 0,
            DispatchInterval = TimeSpan.FromMilliseconds(10),
            HeartbeatInterval = TimeSpan.FromSeconds(10),
            DeadAfter = TimeSpan.FromSeconds(20),
            CleanupInterval = TimeSpan.FromSeconds(5),
            NonceExpiryInterval = TimeSpan.FromDays(2),
            HostName = "host:one\u001b",
        });

        Assert.Equal(
        [
            "Scheduler:Slots must be from 1 to 64 (is 0)",
            "Scheduler:DispatchInterval must be at least 00:00:00.1 (is 00:00:00.0100000)",
            "Scheduler:DeadAfter must be more than twice Scheduler:HeartbeatInterval (at least 00:00:01); they are 00:00:20 and 00:00:10",
            "Scheduler:CleanupInterval must be from 00:01:00 to 7.00:00:00 (is 00:00:05)",
            "Scheduler:NonceExpiryInterval must be from 00:00:10 to 1.00:00:00 (is 2.00:00:00)",
            "Scheduler:HostName must be 1 to 64 of A-Z a-z 0-9 . - _ (is 'host:one?')",
        ], result.Failures);
    }

    [Fact]
    public void A_heartbeat_under_a_second_is_refused_whatever_DeadAfter_is()
    {
        var result = new SchedulerOptionsValidator().Validate(null, new SchedulerOptions
        {
            HeartbeatInterval = TimeSpan.FromMilliseconds(500),
            DeadAfter = TimeSpan.FromMinutes(5),
        });

        Assert.StartsWith("Scheduler:DeadAfter must be more than twice Scheduler:HeartbeatInterval", Assert.Single(result.Failures!),
            StringComparison.Ordinal);
    }
}
