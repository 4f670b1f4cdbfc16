namespace Builder.Tests.Common.Processes;

/// <summary>The name of each test assembly's collection for tests that plant variables in the process environment.</summary>
public static class PlantedEnvironmentCollection
{
    public const string Name = "planted environment";
}
