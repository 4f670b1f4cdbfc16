using Builder.Daemon.Pipeline;
using Builder.Tests.Common;

namespace Builder.Daemon.Tests.Pipeline;

public sealed class TestPausePointsTests
{
    private readonly string _dir = TestEnvironment.NewTempDirectory("pauses");

    [Fact]
    public void The_production_instance_holds_nothing()
    {
        foreach (var point in Enum.GetValues<PausePoint>())
        {
            Assert.False(TestPausePoints.None.Holds(point, "dev", "hello"));
        }
    }

    [Fact]
    public void A_point_without_a_target_holds_every_build_and_one_with_a_target_only_that_pocket_and_package()
    {
        var pauses = TestPausePoints.Parse("prepared, built@dev/hello", _dir);

        Assert.True(pauses.Holds(PausePoint.Prepared, "prod", "other"));
        Assert.True(pauses.Holds(PausePoint.Built, "dev", "hello"));
        Assert.False(pauses.Holds(PausePoint.Built, "prod", "hello"));
        Assert.False(pauses.Holds(PausePoint.Built, "dev", "other"));
        Assert.False(pauses.Holds(PausePoint.Audited, "dev", "hello"));
        Assert.Equal("prepared,built@dev/hello", pauses.ToString());
    }

    [Theory]
    [InlineData(null, "/tmp/x", "--test-pause-points needs BUILDER_TEST_PAUSE_AT")]
    [InlineData("built", null, "--test-pause-points needs BUILDER_TEST_PAUSE_DIR, an absolute directory")]
    [InlineData("built", "relative/dir", "--test-pause-points needs BUILDER_TEST_PAUSE_DIR, an absolute directory")]
    [InlineData("built,launched", "/tmp/x", "BUILDER_TEST_PAUSE_AT: unknown point 'launched' in 'launched'; points: prepared, audited, built, included")]
    [InlineData("built@dev", "/tmp/x", "BUILDER_TEST_PAUSE_AT: 'built@dev' must be point or point@pocket/package")]
    public void Malformed_settings_are_refused_naming_the_variable(string? pauseAt, string? directory, string message)
    {
        var ex = Assert.Throws<FormatException>(() => TestPausePoints.Parse(pauseAt, directory));
        Assert.StartsWith(message, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_held_build_writes_its_marker_and_goes_on_once_the_marker_is_deleted()
    {
        var pauses = TestPausePoints.Parse("included", _dir);
        var held = pauses.HoldAsync(PausePoint.Included, 42, CancellationToken.None);
        var marker = Path.Combine(_dir, "42.included");
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!File.Exists(marker))
        {
            Assert.True(DateTime.UtcNow < deadline, "no marker written");
            await Task.Delay(20);
        }
        Assert.False(held.IsCompleted);

        File.Delete(marker);
        await held.WaitAsync(TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task A_held_build_lets_go_when_the_daemon_stops()
    {
        using var stopping = new CancellationTokenSource();
        var held = TestPausePoints.Parse("audited", _dir).HoldAsync(PausePoint.Audited, 7, stopping.Token);

        await stopping.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => held);
    }
}
