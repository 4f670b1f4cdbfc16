using Builder.Core.Builds;

namespace Builder.Core.Tests.Builds;

public sealed class StageTimingsTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 23, 10, 0, 0, TimeSpan.Zero);

    private static DateTimeOffset T(double seconds) => T0 + TimeSpan.FromTicks((long)Math.Round(seconds * TimeSpan.TicksPerSecond));

    private static BuildTransition At(double seconds, BuildState? from, BuildState to) => new(T(seconds), from, to);

    [Fact]
    public void A_succeeded_build_has_all_five_stages_with_boot_taken_out_of_the_building_state()
    {
        var timings = StageTimings.From(
        [
            At(0, null, BuildState.Queued),
            At(2, BuildState.Queued, BuildState.Preparing),
            At(8, BuildState.Preparing, BuildState.Auditing),
            At(9, BuildState.Auditing, BuildState.Auditing), // a note: the record was accepted
            At(9.5, BuildState.Auditing, BuildState.Building),
            At(119.5, BuildState.Building, BuildState.Publishing),
            At(121, BuildState.Publishing, BuildState.Succeeded),
        ], T(8.6), TimeSpan.FromSeconds(14));

        Assert.Equal(TimeSpan.FromSeconds(6), timings.Prepare);
        Assert.Equal(TimeSpan.FromSeconds(0.6), timings.Audit);
        Assert.Equal(TimeSpan.FromSeconds(14), timings.Boot);
        Assert.Equal(TimeSpan.FromSeconds(96), timings.Build);
        Assert.Equal(TimeSpan.FromSeconds(1.5), timings.Publish);
        Assert.Equal("prepare 6.0 s, audit 0.6 s, boot 14.0 s, build 96.0 s, publish 1.5 s", timings.Describe());
    }

    [Fact]
    public void Only_the_latest_attempt_counts_after_an_interruption_and_requeue()
    {
        var timings = StageTimings.From(
        [
            At(0, null, BuildState.Queued),
            At(1, BuildState.Queued, BuildState.Preparing),
            At(30, BuildState.Preparing, BuildState.Failed),
            At(30, BuildState.Failed, BuildState.Queued),
            At(40, BuildState.Queued, BuildState.Preparing),
            At(43, BuildState.Preparing, BuildState.Auditing),
        ], null, null);

        Assert.Equal(TimeSpan.FromSeconds(3), timings.Prepare);
        Assert.Null(timings.Audit);
        Assert.Equal("prepare 3.0 s", timings.Describe());
    }

    [Fact]
    public void A_stage_still_running_has_no_figure_and_a_queued_build_has_none_at_all()
    {
        Assert.True(StageTimings.From([At(0, null, BuildState.Queued)], null, null).IsEmpty);
        var building = StageTimings.From(
        [
            At(0, BuildState.Queued, BuildState.Preparing),
            At(5, BuildState.Preparing, BuildState.Auditing),
            At(6, BuildState.Auditing, BuildState.Building),
        ], T(5.5), null);
        Assert.Null(building.Boot);
        Assert.Null(building.Build);
        Assert.Equal("prepare 5.0 s, audit 0.5 s", building.Describe());
    }

    [Fact]
    public void A_copy_from_another_pocket_has_no_boot_or_build()
    {
        var timings = StageTimings.From(
        [
            At(0, BuildState.Queued, BuildState.Preparing),
            At(2, BuildState.Preparing, BuildState.Auditing),
            At(3, BuildState.Auditing, BuildState.Publishing),
            At(4, BuildState.Publishing, BuildState.Succeeded),
        ], T(2.5), TimeSpan.FromSeconds(10));
        Assert.Null(timings.Boot);
        Assert.Null(timings.Build);
        Assert.Equal(TimeSpan.FromSeconds(1), timings.Publish);
    }

    [Fact]
    public void A_VM_that_never_came_up_counts_its_whole_time_as_build()
    {
        var timings = StageTimings.From(
        [
            At(0, BuildState.Queued, BuildState.Preparing),
            At(2, BuildState.Preparing, BuildState.Auditing),
            At(3, BuildState.Auditing, BuildState.Building),
            At(33, BuildState.Building, BuildState.Failed),
        ], T(2.5), null);
        Assert.Null(timings.Boot);
        Assert.Equal(TimeSpan.FromSeconds(30), timings.Build);
        Assert.Null(timings.Publish);
    }
}
