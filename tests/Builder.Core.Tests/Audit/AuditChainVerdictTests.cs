using Builder.Core.Audit;

namespace Builder.Core.Tests.Audit;

/// <summary>The verdicts beyond intact and tampered: an empty chain, and an attempt whose build-end never came.</summary>
public sealed class AuditChainVerdictTests
{
    /// <summary>Links the records into a chain (seq and prev set here) and observes them in order.</summary>
    private static List<AuditObservation> Link(params AuditRecord[] records)
    {
        var list = new List<AuditObservation>();
        var prev = AuditFields.Genesis;
        for (var i = 0; i < records.Length; i++)
        {
            var record = records[i] with { Seq = i + 1, Prev = prev };
            var text = AuditRecordFormat.Serialize(record);
            prev = AuditRecordFormat.Hash(text);
            list.Add(AuditSamples.Observe(record, text, $"mail{i + 1}"));
        }
        return list;
    }

    private static AuditRecord Start(long build, string package = "hello") => AuditSamples.Start(0, "", build) with { Package = package };

    private static AuditRecord End(long build, string package = "hello") => AuditSamples.End(0, "", build) with { Package = package };

    [Fact]
    public void No_records_are_empty_not_intact()
    {
        var report = AuditChainVerifier.Verify([]);
        Assert.False(report.Intact);
        Assert.True(report.Empty);
        Assert.Empty(report.Findings);
    }

    [Fact]
    public void Records_only_before_from_seq_are_empty_too()
    {
        var report = AuditChainVerifier.Verify(AuditSamples.Chain(4), fromSeq: 5);
        Assert.False(report.Intact);
        Assert.True(report.Empty);
    }

    [Fact]
    public void A_mailbox_of_unreadable_records_is_tampered_not_empty()
    {
        var report = AuditChainVerifier.Verify([new AuditObservation("mail1", null, null, null, null, "no record", null, null)]);
        Assert.False(report.Empty);
        Assert.False(report.Intact);
    }

    [Fact]
    public void A_build_start_followed_by_another_start_of_the_same_package_without_its_end_is_open()
    {
        var report = AuditChainVerifier.Verify(Link(Start(42), Start(43), End(43)));
        var finding = Assert.Single(report.Findings);
        Assert.Equal(AuditFindingKind.Open, finding.Kind);
        Assert.Equal("seq 1: build 42 attempt 1: build-start seq 1 has no build-end", finding.ToString());
        Assert.False(report.Intact);
    }

    [Fact]
    public void A_requeued_build_whose_first_attempt_has_no_end_is_open_at_the_first_start()
    {
        var finding = Assert.Single(AuditChainVerifier.Verify(Link(Start(7), End(5, "other"), Start(7), End(7))).Findings);
        Assert.Equal("seq 1: build 7 attempt 1: build-start seq 1 has no build-end", finding.ToString());
    }

    [Fact]
    public void The_second_attempt_is_numbered_and_paired_with_its_own_end()
    {
        var finding = Assert.Single(AuditChainVerifier.Verify(Link(Start(7), End(7), Start(7), Start(8))).Findings);
        Assert.Equal("seq 3: build 7 attempt 2: build-start seq 3 has no build-end", finding.ToString());
    }

    [Fact]
    public void Builds_still_running_are_not_open()
    {
        // Build 1 runs while builds of other packages start and finish; build 9 is the newest record.
        var report = AuditChainVerifier.Verify(Link(Start(1), Start(2, "other"), End(2, "other"), Start(9, "third")));
        Assert.True(report.Intact, string.Join("; ", report.Findings));
    }

    [Fact]
    public void Checkpoints_neither_open_nor_close_an_attempt()
    {
        var at = DateTimeOffset.Parse("2026-12-03T18:00:00Z", System.Globalization.CultureInfo.InvariantCulture);
        AuditRecord Checkpoint() => AuditRecord.Checkpoint(0, "", "builder1.example.org", at);

        // Build 1 runs across two hourly checkpoints: neither is an attempt of its own, nor proves build 1 over.
        Assert.True(AuditChainVerifier.Verify(Link(Checkpoint(), Start(1), Checkpoint(), Checkpoint())).Intact);
        // A checkpoint between a start and the next start of the same package does not hide the missing end.
        var report = AuditChainVerifier.Verify(Link(Start(1), Checkpoint(), Start(2)));
        Assert.Equal(("build 1 attempt 1: build-start seq 1 has no build-end", AuditFindingKind.Open),
            (Assert.Single(report.Findings).Message, report.Findings[0].Kind));
    }

    [Fact]
    public void A_build_end_written_after_the_next_builds_start_still_closes_its_start()
    {
        var report = AuditChainVerifier.Verify(Link(Start(1), Start(2), End(1), End(2)));
        Assert.True(report.Intact, string.Join("; ", report.Findings));
    }

    [Fact]
    public void A_missing_end_that_may_be_in_a_gap_is_only_the_gap()
    {
        var chain = Link(Start(1), End(1), Start(2), End(2));
        chain.RemoveAt(1);
        var finding = Assert.Single(AuditChainVerifier.Verify(chain).Findings);
        Assert.Equal(AuditFindingKind.Gap, finding.Kind);
    }

    [Fact]
    public void A_cross_pocket_copy_without_its_end_is_open()
    {
        var copy = Start(3) with { Pocket = "prod", CopyOf = new AuditCopySource(1, 2) };
        var finding = Assert.Single(AuditChainVerifier.Verify(Link(Start(1), End(1) with { Result = AuditResult.Succeeded, FailedStage = "" }, copy, copy with { Build = 4 }, End(4) with { Pocket = "prod" })).Findings);
        Assert.Equal("seq 3: build 3 attempt 1: build-start seq 3 has no build-end", finding.ToString());
    }

    [Fact]
    public void Records_before_from_seq_neither_open_nor_close()
    {
        var report = AuditChainVerifier.Verify(Link(Start(1), End(1), Start(2), End(2)), fromSeq: 2);
        Assert.True(report.Intact, string.Join("; ", report.Findings));
    }
}
