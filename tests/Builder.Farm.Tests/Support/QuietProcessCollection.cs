namespace Builder.Farm.Tests.Support;

/// <summary>Tests that observe this process's meters: they run with no other gateway beside them.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class QuietProcessCollection
{
    public const string Name = "quiet process";
}
