namespace Builder.Core.Audit;

/// <summary>
/// Checks what an auditor's mailbox holds against what the chain promises: every record readable and signed,
/// each seq exactly once from the first to the last, each prev the hash of the record before, and records in
/// arrival order (the daemon delivers strictly in seq order, so a record arriving after a higher one was moved),
/// each cross-pocket copy's copy-of naming an earlier succeeded build-end record of the build it copies, and each
/// attempt that is over having its build-end record (<see cref="AuditOpenAttempts"/>).
/// Records of format versions 1 and 2 chain alike: prev is the hash of the record's bytes, whatever their version.
/// Optionally compares with the server's own list. Pure logic: the mail layer supplies the observations.
/// Each checkpoint must certify the record before it; with a maximum age, the newest record must be younger than that.
/// </summary>
public static class AuditChainVerifier
{
    public static AuditChainReport Verify(IReadOnlyList<AuditObservation> observations, long fromSeq = 1,
        IReadOnlyList<AuditServerRecord>? server = null, AuditFreshness? freshness = null)
    {
        ArgumentNullException.ThrowIfNull(observations);
        ArgumentOutOfRangeException.ThrowIfLessThan(fromSeq, 1);
        var findings = new List<AuditFinding>();
        var bad = new HashSet<long>();
        var good = new SortedDictionary<long, List<AuditObservation>>();
        var arrival = new List<AuditObservation>();

        foreach (var o in observations)
        {
            // No record has a seq below 1: a header claiming one names no seq, so it cannot put a mail before --from-seq.
            var seq = o.Record?.Seq ?? (o.SeqHint >= 1 ? o.SeqHint : null);
            if (seq is { } s && s < fromSeq)
            {
                continue;
            }
            if (o.Record is null)
            {
                findings.Add(new(seq, AuditFindingKind.Malformed, $"{o.Source}: {o.Error ?? "no record"}"));
                AddBad(bad, seq);
                continue;
            }
            var r = o.Record;
            if (o.SignatureError is not null)
            {
                findings.Add(new(r.Seq, AuditFindingKind.BadSignature, $"{o.Source}: signature does not verify: {o.SignatureError}"));
                bad.Add(r.Seq);
                continue;
            }
            if (o.AnnouncedHash is not null && o.AnnouncedHash != o.Hash)
            {
                findings.Add(new(r.Seq, AuditFindingKind.HashMismatch, $"{o.Source}: the mail announces {o.AnnouncedHash} but the record hashes to {o.Hash}"));
                bad.Add(r.Seq);
                continue;
            }
            if (o.SeqHint is { } hint && hint != r.Seq)
            {
                findings.Add(new(r.Seq, AuditFindingKind.Malformed, $"{o.Source}: the mail's header says seq {hint} but the signed record is seq {r.Seq}"));
            }
            if (!good.TryGetValue(r.Seq, out var list))
            {
                good[r.Seq] = list = [];
                arrival.Add(o);
            }
            list.Add(o);
        }

        CheckCopies(good, findings);
        CheckRange(good, bad, fromSeq, findings);
        CheckLinks(good, findings);
        CheckCopySources(good, findings);
        AuditOpenAttempts.Check(good, findings);
        CheckArrival(arrival, findings);
        AuditCheckpointChecks.CheckHeads(good, findings);
        if (freshness is not null)
        {
            AuditCheckpointChecks.CheckFreshness(good, freshness, findings);
        }
        if (server is not null)
        {
            CheckServer(server, good, bad, fromSeq, findings);
        }

        var seqs = good.Keys.Concat(bad).ToList();
        return new AuditChainReport(
            [.. findings.OrderBy(f => f.Seq ?? long.MinValue).ThenBy(f => f.Kind)],
            observations.Count,
            seqs.Count > 0 ? seqs.Min() : null,
            seqs.Count > 0 ? seqs.Max() : null);
    }

    private static void AddBad(HashSet<long> bad, long? seq)
    {
        if (seq is { } s)
        {
            bad.Add(s);
        }
    }

    private static void CheckCopies(SortedDictionary<long, List<AuditObservation>> good, List<AuditFinding> findings)
    {
        foreach (var (seq, copies) in good.Where(g => g.Value.Count > 1))
        {
            var sources = string.Join(", ", copies.Select(c => c.Source));
            findings.Add(copies.Select(c => c.Hash).Distinct(StringComparer.Ordinal).Count() > 1
                ? new(seq, AuditFindingKind.Fork, $"{copies.Count} different records carry this seq ({sources})")
                : new(seq, AuditFindingKind.Duplicate, $"the same record appears {copies.Count} times ({sources})"));
        }
    }

    /// <summary>
    /// Walks the seqs present, not every number up to the last: an unreadable mail is named by its unsigned seq header,
    /// which may claim any seq up to <see cref="long.MaxValue"/>.
    /// </summary>
    private static void CheckRange(SortedDictionary<long, List<AuditObservation>> good, HashSet<long> bad, long fromSeq, List<AuditFinding> findings)
    {
        var expected = fromSeq;
        foreach (var s in good.Keys.Concat(bad).Where(s => s >= fromSeq).Distinct().Order())
        {
            if (s > expected)
            {
                findings.Add(new(expected, AuditFindingKind.Gap, expected == s - 1 ? "missing from the mailbox" : $"seqs {expected}-{s - 1} are missing from the mailbox"));
            }
            if (s == long.MaxValue)
            {
                break;
            }
            expected = s + 1;
        }
    }

    private static void CheckLinks(SortedDictionary<long, List<AuditObservation>> good, List<AuditFinding> findings)
    {
        foreach (var (seq, copies) in good)
        {
            if (good.TryGetValue(seq - 1, out var before) && copies[0].Record!.Prev != before[0].Hash)
            {
                findings.Add(new(seq, AuditFindingKind.BrokenLink,
                    $"prev is {copies[0].Record!.Prev} but seq {seq - 1} hashes to {before[0].Hash}"));
            }
        }
    }

    /// <summary>
    /// A copy publishes binaries on the strength of another build's success, so its copy-of must point back in the
    /// chain; where the mailbox holds the record it points at, that must be the succeeded build-end of that build.
    /// A record the mailbox lacks is not judged here (the gap, or the earlier --from-seq, is the finding).
    /// </summary>
    private static void CheckCopySources(SortedDictionary<long, List<AuditObservation>> good, List<AuditFinding> findings)
    {
        foreach (var (seq, copies) in good)
        {
            if (copies[0].Record!.CopyOf is not { } source)
            {
                continue;
            }
            if (source.Seq >= seq)
            {
                findings.Add(new(seq, AuditFindingKind.BadCopySource, $"copy-of names seq {source.Seq}, which is not before seq {seq}"));
                continue;
            }
            if (!good.TryGetValue(source.Seq, out var named))
            {
                continue;
            }
            var r = named[0].Record!;
            if (r.Event == AuditEvent.BuildEnd && r.Result == AuditResult.Succeeded && r.Build == source.Build)
            {
                continue;
            }
            var what = r.Event == AuditEvent.BuildEnd
                ? $"build {r.Build}'s build-end record with result {(r.Result is { } result ? AuditFields.ResultName(result) : "none")}"
                : $"build {r.Build}'s {AuditFields.EventName(r.Event)} record";
            findings.Add(new(seq, AuditFindingKind.BadCopySource,
                $"copy-of names build {source.Build}'s succeeded build-end at seq {source.Seq}, but seq {source.Seq} is {what}"));
        }
    }

    private static void CheckArrival(List<AuditObservation> arrival, List<AuditFinding> findings)
    {
        long highest = 0;
        foreach (var o in arrival)
        {
            var seq = o.Record!.Seq;
            if (seq < highest)
            {
                findings.Add(new(seq, AuditFindingKind.Reordered, $"{o.Source}: arrived after seq {highest}"));
            }
            highest = Math.Max(highest, seq);
        }
    }

    private static void CheckServer(IReadOnlyList<AuditServerRecord> server, SortedDictionary<long, List<AuditObservation>> good,
        HashSet<long> bad, long fromSeq, List<AuditFinding> findings)
    {
        var bySeq = new Dictionary<long, AuditServerRecord>();
        foreach (var s in server.Where(s => s.Seq >= fromSeq))
        {
            bySeq[s.Seq] = s;
            if (s.MessageId is null)
            {
                findings.Add(new(s.Seq, AuditFindingKind.NotDelivered,
                    $"the server stored no Message-ID for {s.What}: it was never accepted off-site"));
            }
            else if (good.TryGetValue(s.Seq, out var copies))
            {
                var mine = copies[0];
                if (mine.Hash != s.Hash)
                {
                    findings.Add(new(s.Seq, AuditFindingKind.ServerMismatch, $"the mailbox's record hashes to {mine.Hash}, the server's to {s.Hash}"));
                }
                else if (mine.MessageId is not null && mine.MessageId != s.MessageId)
                {
                    findings.Add(new(s.Seq, AuditFindingKind.ServerMismatch, $"the mailbox's Message-ID is <{mine.MessageId}>, the server stored <{s.MessageId}>"));
                }
            }
            else if (!bad.Contains(s.Seq))
            {
                findings.Add(new(s.Seq, AuditFindingKind.ServerMismatch,
                    $"{s.What} (Message-ID <{s.MessageId}>) is on the server but not in the mailbox"));
            }
        }
        foreach (var seq in good.Keys.Where(k => !bySeq.ContainsKey(k)))
        {
            findings.Add(new(seq, AuditFindingKind.ServerMismatch, "in the mailbox but not on the server"));
        }
    }
}
