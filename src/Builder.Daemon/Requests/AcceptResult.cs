using Builder.Core.Builds;
using Builder.Daemon.Api;

namespace Builder.Daemon.Requests;

/// <summary>What became of a signed request: accepted (with the build and its state now) or refused.</summary>
internal sealed record AcceptResult(long? BuildId, BuildState? State, bool CancelRequested, ApiError? Error)
{
    public static AcceptResult Accepted(long buildId, BuildState state, bool cancelRequested = false) => new(buildId, state, cancelRequested, null);

    public static AcceptResult Refused(ApiError error) => new(null, null, false, error);
}
