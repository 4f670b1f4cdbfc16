namespace Builder.Core.Audit;

/// <summary>What the server says about one record (GET /api/v1/audit/records), for <c>audit verify --against</c>.</summary>
public sealed record AuditServerRecord(long Seq, string Hash, long Build, string Event, string? MessageId);
