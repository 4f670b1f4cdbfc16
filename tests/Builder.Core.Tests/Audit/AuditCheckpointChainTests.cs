using Builder.Core.Audit;

namespace Builder.Core.Tests.Audit;

/// <summary>What checkpoints let the verifier see: a head that is not the chain's, and a mailbox gone silent.</summary>
public sealed class AuditCheckpointChainTests
{
    private static readonly DateTimeOffset SampleTime = new(2026, 11, 22, 17, 30, 5, TimeSpan.Zero);

    /// <summary>The sample chain of <paramref name="count"/> build records, then a checkpoint at <paramref name="at"/>.</summary>
    private static List<AuditObservation> WithCheckpoint(int count, DateTimeOffset at, string? prev = null)
    {
        var chain = AuditSamples.Chain(count);
        var checkpoint = AuditRecord.Checkpoint(count + 1, prev ?? chain[^1].Hash!, "builder1.example.org", at);
        chain.Add(AuditSamples.Observe(checkpoint, AuditRecordFormat.Serialize(checkpoint), $"mail{count + 1}"));
        return chain;
    }

    [Fact]
    public void A_chain_ending_in_a_checkpoint_is_intact_and_fresh()
    {
        var at = SampleTime.AddHours(3);
        var report = AuditChainVerifier.Verify(WithCheckpoint(4, at), freshness: new AuditFreshness(TimeSpan.FromHours(2), at.AddMinutes(59)));
        Assert.True(report.Intact);
        Assert.Equal(5, report.LastSeq);
    }

    [Fact]
    public void A_mailbox_whose_newest_mails_were_deleted_is_stale()
    {
        var chain = WithCheckpoint(4, SampleTime.AddHours(1));
        chain.RemoveRange(3, 2);

        var report = AuditChainVerifier.Verify(chain, freshness: new AuditFreshness(TimeSpan.FromHours(2), SampleTime.AddHours(5).AddMinutes(12)));

        var finding = Assert.Single(report.Findings);
        Assert.Equal(new AuditFinding(null, AuditFindingKind.Stale, "newest record seq 3 is 5 h 12 min old"), finding);
        Assert.False(report.Intact);
    }

    [Fact]
    public void Without_a_maximum_age_an_old_mailbox_verifies_as_before()
    {
        Assert.True(AuditChainVerifier.Verify(AuditSamples.Chain(4)).Intact);
    }

    [Fact]
    public void The_newest_record_by_seq_counts_and_an_age_equal_to_the_maximum_is_not_stale()
    {
        var at = SampleTime.AddDays(1);
        Assert.True(AuditChainVerifier.Verify(WithCheckpoint(2, at), freshness: new AuditFreshness(TimeSpan.FromHours(2), at.AddHours(2))).Intact);
        Assert.Equal("newest record seq 3 is 1 d 2 h 0 min old",
            Assert.Single(AuditChainVerifier.Verify(WithCheckpoint(2, at), freshness: new AuditFreshness(TimeSpan.FromHours(2), at.AddHours(26).AddSeconds(30))).Findings).Message);
    }

    [Fact]
    public void A_checkpoint_certifying_another_head_than_the_record_before_it_is_reported()
    {
        var other = "sha256:" + new string('f', 64);
        var chain = WithCheckpoint(4, SampleTime, prev: other);

        var report = AuditChainVerifier.Verify(chain);

        var finding = Assert.Single(report.Findings, f => f.Kind == AuditFindingKind.CheckpointHead);
        Assert.Equal($"seq 5: checkpoint certifies head seq 4 {other}, but the mailbox's seq 4 hashes to {chain[3].Hash}", finding.ToString());
        Assert.Contains(report.Findings, f => f is { Seq: 5, Kind: AuditFindingKind.BrokenLink });
    }

    [Fact]
    public void A_fork_hidden_behind_a_checkpoint_is_reported_naming_the_certified_record()
    {
        var chain = WithCheckpoint(4, SampleTime);
        var forged = AuditSamples.End(4, chain[2].Hash!, build: 3) with { Result = AuditResult.Succeeded, FailedStage = "" };
        chain.Insert(4, AuditSamples.Observe(forged, AuditRecordFormat.Serialize(forged), "forged4"));

        var report = AuditChainVerifier.Verify(chain);

        Assert.Contains(report.Findings, f => f is { Seq: 4, Kind: AuditFindingKind.Fork });
        Assert.Equal($"seq 5: checkpoint certifies head seq 4 {chain[3].Hash} (mail4); the other seq 4 is not in the certified chain",
            Assert.Single(report.Findings, f => f.Kind == AuditFindingKind.CheckpointHead).ToString());
    }

    [Fact]
    public void Ages_are_written_in_whole_minutes()
    {
        Assert.Equal("45 min", AuditCheckpointChecks.Describe(TimeSpan.FromSeconds((45 * 60) + 59)));
        Assert.Equal("5 h 12 min", AuditCheckpointChecks.Describe(new TimeSpan(5, 12, 0)));
        Assert.Equal("3 d 0 h 1 min", AuditCheckpointChecks.Describe(new TimeSpan(3, 0, 1, 0)));
    }
}
