using Builder.Core.Builds;

namespace Builder.Daemon.Pipeline;

/// <summary>
/// One guarded state change of a build: it happens only while the build is in <paramref name="From"/>.
/// <see cref="Stage"/> is given exactly for a move to failed; <see cref="Reason"/> is what the build's row shows,
/// <see cref="Message"/> what its event says.
/// </summary>
internal sealed record Transition(BuildState From, BuildState To)
{
    public string? Stage { get; init; }

    public string? Reason { get; init; }

    public string? Message { get; init; }
}
