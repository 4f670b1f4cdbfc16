using Builder.Daemon.Acl;

namespace Builder.Daemon.Tests.Acl;

public sealed class AclOptionsValidatorTests
{
    [Fact]
    public void The_defaults_are_valid()
    {
        Assert.True(new AclOptionsValidator().Validate(null, new AclOptions()).Succeeded);
    }

    [Fact]
    public void Every_bad_key_is_reported_at_once_with_its_key_and_value()
    {
        var result = new AclOptionsValidator().Validate(null, new AclOptions
        {
            Directory = "",
            Debounce = TimeSpan.FromMinutes(2),
            RescanInterval = TimeSpan.FromMilliseconds(500),
        });

        Assert.Equal(
        [
            "Acl:Directory is required (e.g. \"/etc/builder/acl\")",
            "Acl:Debounce is 00:02:00; it must be between 00:00:00 and 00:01:00",
            "Acl:RescanInterval is 00:00:00.5000000; it must be at least 00:00:01",
        ], result.Failures);
    }
}
