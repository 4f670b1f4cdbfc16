using System.Text;
using Builder.Core.Audit;

namespace Builder.Core.Tests.Audit;

/// <summary>Chains that cross the upgrade from version 1 to 2, and the copy-of check.</summary>
public sealed class AuditChainVersionTests
{
    /// <summary>Builds 1 and 3 each start and end; build 3 (seq 3, 4) copies build 1 whose succeeded build-end is seq 2.</summary>
    private static List<AuditObservation> ChainWithCopy(Func<AuditRecord, AuditRecord>? editSeq2 = null, AuditCopySource? copyOf = null)
    {
        var list = new List<AuditObservation>();
        var prev = AuditFields.Genesis;
        AuditRecord[] records =
        [
            AuditSamples.Start(1, "", build: 1),
            (editSeq2 ?? (r => r))(AuditSamples.End(2, "", build: 1) with { Result = AuditResult.Succeeded, FailedStage = "" }),
            AuditSamples.Start(3, "", build: 3) with { Pocket = "prod", CopyOf = copyOf ?? new AuditCopySource(1, 2) },
            AuditSamples.End(4, "", build: 3) with { Pocket = "prod", CopyOf = copyOf ?? new AuditCopySource(1, 2), Result = AuditResult.Succeeded, FailedStage = "" },
        ];
        foreach (var template in records)
        {
            var record = template with { Prev = prev };
            var text = AuditRecordFormat.Serialize(record);
            prev = AuditRecordFormat.Hash(text);
            list.Add(AuditSamples.Observe(record, text, $"mail{record.Seq}"));
        }
        return list;
    }

    [Fact]
    public void A_chain_of_v1_v1_v4_v4_records_is_intact()
    {
        var chain = AuditSamples.Chain(4, v1Records: 2);

        var report = AuditChainVerifier.Verify(chain);

        Assert.True(report.Intact, string.Join("; ", report.Findings));
        Assert.Equal([1, 1, 4, 4], chain.Select(o => o.Record!.FormatVersion));
        // The first v4 record's prev is the hash of the v1 record's bytes.
        Assert.Equal(chain[1].Hash, chain[2].Record!.Prev);
        Assert.StartsWith("builder-audit 1\n", AuditRecordFormat.Serialize(chain[1].Record!), StringComparison.Ordinal);
    }

    [Fact]
    public void A_v2_record_that_does_not_link_to_the_v1_record_before_it_breaks_the_link()
    {
        var chain = AuditSamples.Chain(3, v1Records: 2);
        var forged = AuditSamples.Start(3, "sha256:" + new string('9', 64), build: 3);
        chain[2] = AuditSamples.Observe(forged, AuditRecordFormat.Serialize(forged), "mail3");

        var finding = Assert.Single(AuditChainVerifier.Verify(chain).Findings);

        Assert.Equal(AuditFindingKind.BrokenLink, finding.Kind);
        Assert.Equal(3, finding.Seq);
    }

    [Fact]
    public void Tampering_inside_a_v2_records_build_deps_is_caught_at_its_seq()
    {
        var chain = AuditSamples.Chain(4, v1Records: 2);
        var text = AuditRecordFormat.Serialize(chain[2].Record!);
        // Another .deb hash for libc6-dev: still a valid record, but not the one seq 4 links to.
        var tampered = text.Replace($"pocket:dev {new string('2', 64)}", $"pocket:dev {new string('3', 64)}", StringComparison.Ordinal);
        Assert.NotEqual(text, tampered);
        var record = AuditRecordFormat.Parse(Encoding.ASCII.GetBytes(tampered));
        chain[2] = chain[2] with { Record = record, Hash = AuditRecordFormat.Hash(tampered), AnnouncedHash = AuditRecordFormat.Hash(tampered) };

        var finding = Assert.Single(AuditChainVerifier.Verify(chain).Findings);

        Assert.Equal(AuditFindingKind.BrokenLink, finding.Kind);
        Assert.Equal($"seq 4: prev is {chain[3].Record!.Prev} but seq 3 hashes to {AuditRecordFormat.Hash(tampered)}", finding.ToString());
    }

    [Fact]
    public void A_copy_naming_the_succeeded_build_end_of_the_build_it_copies_is_intact()
    {
        var report = AuditChainVerifier.Verify(ChainWithCopy());
        Assert.True(report.Intact, string.Join("; ", report.Findings));
    }

    [Fact]
    public void A_copy_naming_a_failed_build_end_is_a_finding_naming_both_seqs()
    {
        var chain = ChainWithCopy(r => r with { Result = AuditResult.Failed, FailedStage = "building" });

        var findings = AuditChainVerifier.Verify(chain).Findings;

        Assert.Equal(
            [
                "seq 3: copy-of names build 1's succeeded build-end at seq 2, but seq 2 is build 1's build-end record with result failed",
                "seq 4: copy-of names build 1's succeeded build-end at seq 2, but seq 2 is build 1's build-end record with result failed",
            ],
            findings.Select(f => f.ToString()));
        Assert.All(findings, f => Assert.Equal(AuditFindingKind.BadCopySource, f.Kind));
    }

    [Fact]
    public void A_copy_naming_a_build_start_or_another_builds_end_is_a_finding()
    {
        var start = AuditChainVerifier.Verify(ChainWithCopy(copyOf: new AuditCopySource(1, 1))).Findings;
        var other = AuditChainVerifier.Verify(ChainWithCopy(copyOf: new AuditCopySource(7, 2))).Findings;

        Assert.Equal("seq 3: copy-of names build 1's succeeded build-end at seq 1, but seq 1 is build 1's build-start record", start[0].ToString());
        Assert.Equal("seq 3: copy-of names build 7's succeeded build-end at seq 2, but seq 2 is build 1's build-end record with result succeeded", other[0].ToString());
        Assert.All(start.Concat(other), f => Assert.Equal(AuditFindingKind.BadCopySource, f.Kind));
    }

    [Fact]
    public void A_copy_pointing_forward_is_a_finding()
    {
        // The parser refuses such a record; one that reaches the verifier otherwise is still caught.
        var chain = ChainWithCopy();
        chain[2] = chain[2] with { Record = chain[2].Record! with { CopyOf = new AuditCopySource(3, 4) } };

        var finding = Assert.Single(AuditChainVerifier.Verify(chain).Findings);

        Assert.Equal(AuditFindingKind.BadCopySource, finding.Kind);
        Assert.Equal("seq 3: copy-of names seq 4, which is not before seq 3", finding.ToString());
    }

    [Fact]
    public void A_copy_whose_source_is_not_in_the_mailbox_is_judged_by_the_gap_alone()
    {
        var chain = ChainWithCopy();
        chain.RemoveAt(1);

        var finding = Assert.Single(AuditChainVerifier.Verify(chain).Findings);

        Assert.Equal(new AuditFinding(2, AuditFindingKind.Gap, "missing from the mailbox"), finding);
        Assert.True(AuditChainVerifier.Verify(chain[1..], fromSeq: 3).Intact);
    }
}
