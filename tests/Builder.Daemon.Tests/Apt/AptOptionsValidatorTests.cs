using Builder.Daemon.Apt;

namespace Builder.Daemon.Tests.Apt;

public sealed class AptOptionsValidatorTests
{
    [Fact]
    public void The_defaults_are_valid()
    {
        Assert.True(new AptOptionsValidator().Validate(null, new AptOptions()).Succeeded);
    }

    [Theory]
    [InlineData("srv/apt")]
    [InlineData("")]
    public void A_relative_base_directory_is_reported_with_its_key_and_value(string directory)
    {
        var result = new AptOptionsValidator().Validate(null, new AptOptions { BaseDirectory = directory });

        Assert.Equal([$"Apt:BaseDirectory must be an absolute path (e.g. \"/srv/apt\") (is '{directory}')"], result.Failures);
    }
}
