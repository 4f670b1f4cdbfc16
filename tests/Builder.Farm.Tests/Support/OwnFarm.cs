namespace Builder.Farm.Tests.Support;

/// <summary>Two distccd processes of this test class's own (fresh logs nobody else writes to; killable).</summary>
public sealed class OwnFarm : IAsyncLifetime
{
    internal DistccdProcess First { get; private set; } = null!;

    internal DistccdProcess Second { get; private set; } = null!;

    internal string Directory { get; } = FarmTestEnvironment.NewDirectory("own-farm");

    internal IReadOnlyList<string> Hosts => [First.HostSpec(2), Second.HostSpec(2)];

    internal int Connections() => First.Connections() + Second.Connections();

    public async Task InitializeAsync()
    {
        First = await DistccdProcess.StartAsync(Directory, "own1");
        Second = await DistccdProcess.StartAsync(Directory, "own2");
    }

    public async Task DisposeAsync()
    {
        await First.DisposeAsync();
        await Second.DisposeAsync();
    }
}
