namespace Builder.Core.Audit;

/// <summary>The verdict over a mailbox: intact when there are no findings.</summary>
public sealed record AuditChainReport(IReadOnlyList<AuditFinding> Findings, int RecordsChecked, long? FirstSeq, long? LastSeq)
{
    public bool Intact => Findings.Count == 0;

    /// <summary>The lowest seq any finding names: where the auditor should start looking.</summary>
    public long? FirstBadSeq => Findings.Where(f => f.Seq is not null).Select(f => f.Seq).Min();
}
