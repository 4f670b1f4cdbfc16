namespace Builder.Daemon.Tests.Support;

/// <summary>Tests that measure this process's memory: they run with no other test beside them.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class QuietProcessCollection
{
    public const string Name = "quiet process";
}
