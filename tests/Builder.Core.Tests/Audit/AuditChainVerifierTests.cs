using Builder.Core.Audit;

namespace Builder.Core.Tests.Audit;

public sealed class AuditChainVerifierTests
{
    [Fact]
    public void An_intact_chain_has_no_findings()
    {
        var report = AuditChainVerifier.Verify(AuditSamples.Chain(6));
        Assert.True(report.Intact);
        Assert.Equal(1, report.FirstSeq);
        Assert.Equal(6, report.LastSeq);
        Assert.Null(report.FirstBadSeq);
    }

    [Fact]
    public void A_missing_record_is_a_gap_at_its_seq()
    {
        var chain = AuditSamples.Chain(6);
        chain.RemoveAt(3);
        var report = AuditChainVerifier.Verify(chain);
        var finding = Assert.Single(report.Findings);
        Assert.Equal(new AuditFinding(4, AuditFindingKind.Gap, "missing from the mailbox"), finding);
        Assert.Equal(4, report.FirstBadSeq);
    }

    [Fact]
    public void Several_missing_records_are_reported_as_one_range()
    {
        var chain = AuditSamples.Chain(8);
        chain.RemoveRange(2, 3);
        Assert.Equal("seq 3: seqs 3-5 are missing from the mailbox", Assert.Single(AuditChainVerifier.Verify(chain).Findings).ToString());
    }

    [Fact]
    public void Swapped_records_are_reported_as_reordered_at_the_lower_seq()
    {
        var chain = AuditSamples.Chain(5);
        (chain[1], chain[2]) = (chain[2], chain[1]);
        var finding = Assert.Single(AuditChainVerifier.Verify(chain).Findings);
        Assert.Equal(AuditFindingKind.Reordered, finding.Kind);
        Assert.Equal("seq 2: mail2: arrived after seq 3", finding.ToString());
    }

    [Fact]
    public void A_copied_record_is_a_duplicate()
    {
        var chain = AuditSamples.Chain(4);
        chain.Add(chain[1] with { Source = "copy" });
        var report = AuditChainVerifier.Verify(chain);
        var finding = Assert.Single(report.Findings);
        Assert.Equal("seq 2: the same record appears 2 times (mail2, copy)", finding.ToString());
        Assert.Equal(AuditFindingKind.Duplicate, finding.Kind);
    }

    [Fact]
    public void Two_different_valid_records_with_one_seq_are_a_fork()
    {
        var chain = AuditSamples.Chain(4);
        var other = AuditSamples.Start(3, chain[1].Hash!, build: 99);
        chain.Insert(3, AuditSamples.Observe(other, AuditRecordFormat.Serialize(other), "forked"));
        var report = AuditChainVerifier.Verify(chain);
        Assert.Contains(report.Findings, f => f.Seq == 3 && f.Kind == AuditFindingKind.Fork);
        Assert.Equal(3, report.FirstBadSeq);
    }

    [Fact]
    public void A_record_whose_prev_does_not_match_breaks_the_link()
    {
        var chain = AuditSamples.Chain(3);
        var forged = AuditSamples.Start(3, "sha256:" + new string('9', 64), build: 3);
        chain[2] = AuditSamples.Observe(forged, AuditRecordFormat.Serialize(forged), "mail3");
        var finding = Assert.Single(AuditChainVerifier.Verify(chain).Findings);
        Assert.Equal(AuditFindingKind.BrokenLink, finding.Kind);
        Assert.Equal(3, finding.Seq);
        Assert.Contains($"but seq 2 hashes to {chain[1].Hash}", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_bad_signature_names_the_seq_and_is_not_also_a_gap()
    {
        var chain = AuditSamples.Chain(4);
        chain[2] = chain[2] with { SignatureError = "signer certificate is not the configured one" };
        var finding = Assert.Single(AuditChainVerifier.Verify(chain).Findings);
        Assert.Equal("seq 3: mail3: signature does not verify: signer certificate is not the configured one", finding.ToString());
    }

    [Fact]
    public void An_unreadable_record_is_named_by_the_seq_its_mail_claims()
    {
        var chain = AuditSamples.Chain(4);
        chain[1] = new AuditObservation("mail2", 2, null, null, null, "audit record line 5 (build): expected a decimal number >= 1 without leading zeros", null, null);
        var finding = Assert.Single(AuditChainVerifier.Verify(chain).Findings);
        Assert.Equal(AuditFindingKind.Malformed, finding.Kind);
        Assert.Equal(2, finding.Seq);
    }

    [Fact]
    public void An_announced_hash_that_differs_from_the_record_is_reported()
    {
        var chain = AuditSamples.Chain(2);
        chain[0] = chain[0] with { AnnouncedHash = "sha256:" + new string('0', 64) };
        Assert.Equal(AuditFindingKind.HashMismatch, Assert.Single(AuditChainVerifier.Verify(chain).Findings).Kind);
    }

    [Fact]
    public void From_seq_ignores_earlier_records_and_does_not_call_them_missing()
    {
        var chain = AuditSamples.Chain(6);
        chain.RemoveAt(0);
        Assert.True(AuditChainVerifier.Verify(chain, fromSeq: 3).Intact);
        Assert.Equal(1, AuditChainVerifier.Verify(chain).FirstBadSeq);
    }

    [Fact]
    public void Server_records_missing_from_the_mailbox_or_never_delivered_are_listed()
    {
        var chain = AuditSamples.Chain(3);
        var server = chain.Select(o => new AuditServerRecord(o.Record!.Seq, o.Hash!, o.Record.Build, "build-start", o.MessageId)).ToList();
        server.Add(new AuditServerRecord(4, "sha256:" + new string('4', 64), 9, "build-start", "audit.4@test"));
        server.Add(new AuditServerRecord(5, "sha256:" + new string('5', 64), 10, "build-start", null));
        var report = AuditChainVerifier.Verify(chain, server: server);
        Assert.Equal(
            [
                "seq 4: build 9's build-start record (Message-ID <audit.4@test>) is on the server but not in the mailbox",
                "seq 5: the server stored no Message-ID for build 10's build-start record: it was never accepted off-site",
            ],
            report.Findings.Select(f => f.ToString()));
    }

    [Fact]
    public void A_server_hash_that_differs_from_the_mailbox_is_reported()
    {
        var chain = AuditSamples.Chain(2);
        var server = new[]
        {
            new AuditServerRecord(1, chain[0].Hash!, 1, "build-start", chain[0].MessageId),
            new AuditServerRecord(2, "sha256:" + new string('2', 64), 1, "build-end", chain[1].MessageId),
        };
        var finding = Assert.Single(AuditChainVerifier.Verify(chain, server: server).Findings);
        Assert.Equal(AuditFindingKind.ServerMismatch, finding.Kind);
        Assert.Equal(2, finding.Seq);
    }

    [Fact]
    public void An_unreadable_mail_claiming_a_huge_seq_ends_the_range_there_without_walking_every_seq()
    {
        var chain = AuditSamples.Chain(4);
        chain.RemoveAt(1);
        chain.Add(new AuditObservation("junk", long.MaxValue, null, null, null, "no record", null, null));
        var findings = AuditChainVerifier.Verify(chain).Findings.Select(f => f.ToString());
        Assert.Equal(
            [
                "seq 2: missing from the mailbox",
                "seq 5: seqs 5-9223372036854775806 are missing from the mailbox",
                "seq 9223372036854775807: junk: no record",
            ],
            findings);
    }

    [Fact]
    public void An_unreadable_mail_claiming_seq_0_is_reported_without_a_seq_not_skipped_as_before_from_seq()
    {
        var chain = AuditSamples.Chain(2);
        chain.Add(new AuditObservation("junk", 0, null, null, null, "no record", null, null));
        Assert.Equal("junk: no record", Assert.Single(AuditChainVerifier.Verify(chain).Findings).ToString());
    }
}
