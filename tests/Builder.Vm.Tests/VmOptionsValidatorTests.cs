namespace Builder.Vm.Tests;

public sealed class VmOptionsValidatorTests
{
    [Fact]
    public void Defaults_with_an_image_directory_are_valid()
    {
        var result = new VmOptionsValidator().Validate(null, new VmOptions { ImageDirectory = "/var/cache/builder/images/x" });

        Assert.True(result.Succeeded, result.FailureMessage);
    }

    [Fact]
    public void Every_bad_key_is_reported_at_once_by_name()
    {
        var result = new VmOptionsValidator().Validate(null, new VmOptions
        {
            Memory = 12, Cpus = 0, Timeout = TimeSpan.Zero, OverlaySize = 1, WorkDirectory = "relative", RunAs = "Root!",
            ConnectorPath = "nc -N", MaxArtifacts = 1,
        });

        Assert.False(result.Succeeded);
        Assert.Equal(
            [
                "Vm:ImageDirectory is required (the directory ops/image/build-image printed, e.g. /var/cache/builder/images/<hash>)",
                "Vm:Memory must be 256..1048576 MiB, was 12",
                "Vm:Cpus must be 1..64, was 0",
                "Vm:Timeout must be positive, was 00:00:00",
                "Vm:OverlaySize must be at least 1 GiB (bytes), was 1",
                "Vm:WorkDirectory must be an absolute path, was 'relative'",
                "Vm:RunAs 'Root!' is not a valid user name",
                "Vm:ConnectorPath must be an absolute path without spaces, was 'nc -N'",
                "Vm:MaxArtifacts must be 2..100000, was 1",
            ],
            result.Failures);
    }
}
