using Builder.Core.Builds;

namespace Builder.Daemon.Api;

/// <summary>
/// Seconds the build's latest attempt spent in each stage (README "Stage timings"); null for a stage it has not
/// finished or never reached.
/// </summary>
internal sealed record StageTimingsDto(double? Prepare, double? Audit, double? Boot, double? Build, double? Publish)
{
    public static StageTimingsDto From(StageTimings t) =>
        new(Seconds(t.Prepare), Seconds(t.Audit), Seconds(t.Boot), Seconds(t.Build), Seconds(t.Publish));

    private static double? Seconds(TimeSpan? value) => value is { } v ? Math.Round(v.TotalSeconds, 1) : null;
}
