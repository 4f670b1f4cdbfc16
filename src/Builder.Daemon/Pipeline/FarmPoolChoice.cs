using Builder.Daemon.Hosting;
using Builder.Farm;

namespace Builder.Daemon.Pipeline;

/// <summary>Which farm pool a build's compile jobs go to: its pocket's <c>FarmPool</c>, else the pool <c>default</c>.</summary>
internal static class FarmPoolChoice
{
    public static string For(PocketsOptions pockets, string pocket) =>
        pockets.GetValueOrDefault(pocket)?.FarmPool ?? FarmOptions.DefaultPool;
}
