using Builder.Daemon.Hosting;

namespace Builder.Daemon.Tests.Hosting;

public sealed class HttpApiOptionsValidatorTests
{
    [Fact]
    public void The_defaults_are_valid()
    {
        Assert.True(new HttpApiOptionsValidator().Validate(null, new HttpApiOptions()).Succeeded);
    }

    [Fact]
    public void Every_bad_key_is_reported_at_once_with_its_key_and_value()
    {
        var result = new HttpApiOptionsValidator().Validate(null, new HttpApiOptions
        {
            Urls = "",
            MaxRequestBodyBytes = 2 * 1024 * 1024,
            ReplayWindow = TimeSpan.Zero,
            PublicUrl = "builder.example.org",
        });

        Assert.Equal(
        [
            "Http:Urls is required (e.g. \"http://127.0.0.1:8600\")",
            "Http:MaxRequestBodyBytes is 2097152; it must be between 4096 and 1048576",
            "Http:ReplayWindow is 00:00:00; it must be more than 0 and at most 01:00:00",
            "Http:PublicUrl 'builder.example.org' is not an absolute URL",
        ], result.Failures);
    }
}
