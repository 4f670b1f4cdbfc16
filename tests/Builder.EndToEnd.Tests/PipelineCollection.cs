namespace Builder.EndToEnd.Tests;

/// <summary>
/// The test classes that run VM builds: one collection, so their builds take turns on the machine's cores instead of
/// slowing each other down (each class still has its own daemon, database and repositories).
/// </summary>
[CollectionDefinition(Name)]
public sealed class PipelineCollection
{
    public const string Name = "pipeline";
}
