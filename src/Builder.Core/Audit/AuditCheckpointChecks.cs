using System.Globalization;

namespace Builder.Core.Audit;

/// <summary>The checks that checkpoints make possible: each certifies the record before it, and the newest is recent.</summary>
internal static class AuditCheckpointChecks
{
    /// <summary>
    /// A checkpoint vouches for the head seq − 1 hashing to its prev. Where the mailbox holds seq − 1, one copy must
    /// be exactly that record, and no other copy may stand beside it (a fork the checkpoint did not certify).
    /// A missing seq − 1 is the gap's finding.
    /// </summary>
    public static void CheckHeads(SortedDictionary<long, List<AuditObservation>> good, List<AuditFinding> findings)
    {
        foreach (var (seq, copies) in good)
        {
            var r = copies[0].Record!;
            if (r.Event != AuditEvent.Checkpoint || seq == 1 || !good.TryGetValue(seq - 1, out var before))
            {
                continue;
            }
            var certified = before.Where(b => b.Hash == r.Prev).ToList();
            if (certified.Count == 0)
            {
                findings.Add(new(seq, AuditFindingKind.CheckpointHead,
                    $"checkpoint certifies head seq {seq - 1} {r.Prev}, but the mailbox's seq {seq - 1} hashes to {string.Join(", ", before.Select(b => b.Hash).Distinct(StringComparer.Ordinal))}"));
            }
            else if (before.Any(b => b.Hash != r.Prev))
            {
                findings.Add(new(seq, AuditFindingKind.CheckpointHead,
                    $"checkpoint certifies head seq {seq - 1} {r.Prev} ({certified[0].Source}); the other seq {seq - 1} is not in the certified chain"));
            }
        }
    }

    /// <summary>The newest record by seq (checkpoint or not) must be at most the maximum age old.</summary>
    public static void CheckFreshness(SortedDictionary<long, List<AuditObservation>> good, AuditFreshness freshness, List<AuditFinding> findings)
    {
        if (good.Count == 0)
        {
            return;
        }
        var newest = good[good.Keys.Max()][0].Record!;
        var age = freshness.Now - newest.Time;
        if (age > freshness.MaxAge)
        {
            findings.Add(new(null, AuditFindingKind.Stale, $"newest record seq {newest.Seq} is {Describe(age)} old"));
        }
        else if (-age > freshness.MaxAge)
        {
            // A record dated ahead by more than the allowed age would keep the mailbox "fresh" through that much silence
            // (one signed checkpoint dated a year ahead, and nothing after it): no clock runs that far ahead honestly.
            findings.Add(new(null, AuditFindingKind.Stale,
                $"newest record seq {newest.Seq} is dated {Describe(-age)} ahead of this clock, more than --max-age allows"));
        }
    }

    /// <summary>Whole minutes, as a person reads them: <c>5 h 12 min</c>, <c>2 d 3 h 0 min</c>, <c>45 min</c>.</summary>
    public static string Describe(TimeSpan age)
    {
        var minutes = (long)age.TotalMinutes;
        var (d, h, m) = (minutes / 1440, minutes / 60 % 24, minutes % 60);
        return d > 0 ? string.Create(CultureInfo.InvariantCulture, $"{d} d {h} h {m} min")
            : h > 0 ? string.Create(CultureInfo.InvariantCulture, $"{h} h {m} min")
            : string.Create(CultureInfo.InvariantCulture, $"{m} min");
    }
}
