namespace Builder.Core.Audit;

/// <summary>
/// Finds attempts whose build-end record was never written. Records carry no attempt number, so each build-start is
/// paired with the next build-end of the same build before that build's next build-start; the attempt is numbered by
/// counting the build's build-starts from the first seq verified. An unpaired build-start is open only once later
/// records prove its attempt over: a later build-start of the same build, or of another build of the same pocket and
/// package (the store never lets two builds of one pocket and package be active at once). Anything else may still be
/// running, with any number of other builds' records after it. Where a seq the attempt's build-end could occupy is
/// missing or unreadable, that is the finding instead.
/// </summary>
internal static class AuditOpenAttempts
{
    public static void Check(SortedDictionary<long, List<AuditObservation>> good, List<AuditFinding> findings)
    {
        var present = good.Keys.ToList();
        var attempts = new Dictionary<long, int>();
        var open = new Dictionary<long, (long Seq, int Attempt)>();
        var latestStart = new Dictionary<(string Pocket, string Package), long>();
        foreach (var (seq, copies) in good)
        {
            var r = copies[0].Record!;
            if (r.Event == AuditEvent.Checkpoint)
            {
                // A checkpoint belongs to no build: it neither starts an attempt nor shows one over.
                continue;
            }
            if (r.Event == AuditEvent.BuildEnd)
            {
                open.Remove(r.Build);
                continue;
            }
            if (open.TryGetValue(r.Build, out var superseded))
            {
                Report(superseded.Seq, r.Build, superseded.Attempt, seq - 1);
            }
            attempts[r.Build] = attempts.GetValueOrDefault(r.Build) + 1;
            open[r.Build] = (seq, attempts[r.Build]);
            latestStart[(r.Pocket, r.Package)] = seq;
        }
        var last = present.Count > 0 ? present[^1] : 0;
        foreach (var (build, (seq, attempt)) in open)
        {
            var r = good[seq][0].Record!;
            if (latestStart[(r.Pocket, r.Package)] > seq)
            {
                Report(seq, build, attempt, last);
            }
        }

        // Reported only when every seq from the start to the end of the window where its build-end belonged is here
        // and readable (an unreadable seq is in bad, not in good).
        void Report(long start, long build, int attempt, long windowEnd)
        {
            if (Count(present, start, windowEnd) == windowEnd - start + 1)
            {
                findings.Add(new(start, AuditFindingKind.Open, $"build {build} attempt {attempt}: build-start seq {start} has no build-end"));
            }
        }
    }

    /// <summary>How many of the sorted, distinct seqs lie in [from, to].</summary>
    private static long Count(List<long> sorted, long from, long to)
    {
        var lo = sorted.BinarySearch(from);
        var hi = sorted.BinarySearch(to);
        return (hi < 0 ? ~hi : hi + 1) - (lo < 0 ? ~lo : lo);
    }
}
