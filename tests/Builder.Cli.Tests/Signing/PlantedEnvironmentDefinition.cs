using Builder.Tests.Common.Processes;

namespace Builder.Cli.Tests.Signing;

/// <summary>
/// Tests that plant variables in this process's environment run alone, after the parallel ones: every other test's
/// tools would otherwise see the plants (an LD_PRELOAD that cannot be loaded makes every program complain).
/// </summary>
[CollectionDefinition(PlantedEnvironmentCollection.Name, DisableParallelization = true)]
public sealed class PlantedEnvironmentDefinition;
