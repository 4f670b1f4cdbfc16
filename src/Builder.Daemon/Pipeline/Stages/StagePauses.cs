namespace Builder.Daemon.Pipeline.Stages;

/// <summary>Crash tests only (<see cref="TestPausePoints"/>): holds a build at a pause point while the test kills the daemon.</summary>
internal sealed partial class StagePauses(TestPausePoints pauses, ILogger<StagePauses> logger)
{
    public async Task PauseAsync(BuildRun run, PausePoint point)
    {
        if (!pauses.Holds(point, run.Build.Pocket, run.Build.Package))
        {
            return;
        }
        var name = TestPausePoints.NameOf(point);
        Log.TestPause(logger, run.BuildId, name);
        await run.LogAsync($"TEST ONLY: held at pause point '{name}'");
        await run.Writer.FlushAsync(run.Token);
        await pauses.HoldAsync(point, run.BuildId, run.Token);
        await run.LogAsync($"TEST ONLY: released from pause point '{name}'");
    }

    private static partial class Log
    {
        [LoggerMessage(8504, LogLevel.Warning, "TEST ONLY: build {BuildId} held at pause point {PausePoint}")]
        public static partial void TestPause(ILogger logger, long buildId, string pausePoint);
    }
}
