using Builder.Core.Builds;

namespace Builder.Core.Tests.Builds;

public sealed class BuildStatesTests
{
    [Fact]
    public void Names_round_trip_for_every_state()
    {
        foreach (var state in Enum.GetValues<BuildState>())
        {
            Assert.Equal(state, BuildStates.Parse(BuildStates.Name(state)));
        }
        Assert.False(BuildStates.TryParse("Queued", out _));
    }

    [Theory]
    [InlineData(BuildState.Queued, BuildState.Preparing, true)]
    [InlineData(BuildState.Queued, BuildState.Building, false)]
    [InlineData(BuildState.Preparing, BuildState.Rejected, true)]
    [InlineData(BuildState.Auditing, BuildState.Building, true)]
    [InlineData(BuildState.Preparing, BuildState.Building, false)]
    [InlineData(BuildState.Publishing, BuildState.Cancelled, false)]
    [InlineData(BuildState.Succeeded, BuildState.Queued, false)]
    [InlineData(BuildState.Cancelled, BuildState.Queued, false)]
    public void Only_the_designed_arrows_are_transitions(BuildState from, BuildState to, bool allowed) =>
        Assert.Equal(allowed, BuildStates.CanTransition(from, to));

    [Fact]
    public void Building_is_reachable_only_through_auditing()
    {
        var sources = Enum.GetValues<BuildState>().Where(s => BuildStates.CanTransition(s, BuildState.Building));
        Assert.Equal([BuildState.Auditing], sources);
    }

    [Theory]
    [InlineData(BuildStages.Interrupted, 1, true)]
    [InlineData(BuildStages.Interrupted, 2, false)]
    [InlineData(BuildStages.Building, 1, false)]
    public void Only_an_interrupted_build_is_requeued_and_only_once(string stage, int attempts, bool requeue) =>
        Assert.Equal(requeue, BuildStates.CanRequeue(BuildState.Failed, stage, attempts));
}
