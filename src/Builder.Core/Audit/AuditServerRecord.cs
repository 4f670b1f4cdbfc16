namespace Builder.Core.Audit;

/// <summary>What the server says about one record (GET /api/v1/audit/records), for <c>audit verify --against</c>.</summary>
/// <remarks><paramref name="Build"/> is null for a checkpoint, which has no build.</remarks>
public sealed record AuditServerRecord(long Seq, string Hash, long? Build, string Event, string? MessageId)
{
    /// <summary>The record as findings name it: <c>build 42's build-start record</c>, <c>the checkpoint record</c>.</summary>
    public string What => Build is { } b ? $"build {b}'s {Event} record" : $"the {Event} record";
}
