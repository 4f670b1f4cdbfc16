namespace Builder.Farm.Records;

/// <summary>What the build-end audit record carries: how many compile jobs and the digest over their ordered records.</summary>
public sealed record CompileSummary(int Count, string Digest);
