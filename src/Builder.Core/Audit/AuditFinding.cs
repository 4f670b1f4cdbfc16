namespace Builder.Core.Audit;

/// <summary>One problem, at a seq when it is known (a mail too damaged to name its seq has none).</summary>
public sealed record AuditFinding(long? Seq, AuditFindingKind Kind, string Message)
{
    public override string ToString() => Seq is { } s ? $"seq {s}: {Message}" : Message;
}
