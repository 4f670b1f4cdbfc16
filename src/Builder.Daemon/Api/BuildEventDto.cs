using Builder.Store.Builds;

namespace Builder.Daemon.Api;

internal sealed record BuildEventDto(DateTimeOffset At, string? From, string To, string? Stage, string? Message)
{
    public static BuildEventDto Create(BuildEventRecord e) => new(e.At, e.FromState, e.ToState, e.Stage, e.Message);
}
