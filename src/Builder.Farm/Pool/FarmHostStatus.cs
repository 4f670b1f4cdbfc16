namespace Builder.Farm.Pool;

/// <summary>A farm host as the pool sees it now (for status pages and tests).</summary>
public sealed record FarmHostStatus(string Name, bool IsUp, int Active, int Slots, int ConsecutiveFailures, string? LastError, string Pool = FarmOptions.DefaultPool);
