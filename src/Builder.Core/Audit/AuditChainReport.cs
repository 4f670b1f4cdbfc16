namespace Builder.Core.Audit;

/// <summary>
/// The verdict over a mailbox: intact when it holds records and there are no findings; empty when it holds no
/// record (from the first seq asked for) and nothing that claims to be one. An empty mailbox is never intact: a
/// wiped mailbox must not read as a clean one.
/// </summary>
public sealed record AuditChainReport(IReadOnlyList<AuditFinding> Findings, int RecordsChecked, long? FirstSeq, long? LastSeq)
{
    public bool Intact => Findings.Count == 0 && !Empty;

    /// <summary>No record and no finding: the chain shows nothing at all, which proves nothing.</summary>
    public bool Empty => Findings.Count == 0 && FirstSeq is null;

    /// <summary>The lowest seq any finding names: where the auditor should start looking.</summary>
    public long? FirstBadSeq => Findings.Where(f => f.Seq is not null).Select(f => f.Seq).Min();
}
