using Builder.Daemon.Pipeline;

namespace Builder.Daemon.Tests.Pipeline;

public sealed class PipelineOptionsValidatorTests
{
    [Fact]
    public void The_defaults_are_valid()
    {
        var result = new PipelineOptionsValidator().Validate(null, new PipelineOptions());

        Assert.True(result.Succeeded, result.FailureMessage);
    }

    [Fact]
    public void Every_bad_key_is_reported_at_once_with_its_key_and_value()
    {
        var result = new PipelineOptionsValidator().Validate(null, new PipelineOptions
        {
            WorkDirectory = "builds",
            Parallel = 257,
            KeepWorkFor = TimeSpan.FromMinutes(30),
            EndAttempts = 0,
            EndRetryDelay = TimeSpan.FromMinutes(6),
        });

        Assert.Equal(
        [
            "Pipeline:WorkDirectory must be an absolute path (is 'builds')",
            "Pipeline:Parallel must be from 1 to 256 (is 257)",
            "Pipeline:KeepWorkFor must be at least 01:00:00 (is 00:30:00)",
            "Pipeline:EndAttempts must be from 1 to 20 (is 0)",
            "Pipeline:EndRetryDelay must be from 00:00:00.0100000 to 00:05:00 (is 00:06:00)",
        ], result.Failures);
    }
}
