using System.Text;
using Builder.Core.Audit;

namespace Builder.Core.Tests.Audit;

/// <summary>Version 4: the build-end record's <c>provenance</c> field, next to the version 1 and 2 records mailboxes hold.</summary>
public sealed class AuditRecordFormatV4Tests
{
    private static readonly string Zero = "sha256:" + new string('0', 64);
    private static readonly string Envelope = "sha256:" + new string('7', 64);

    private static AuditRecord Succeeded(long seq = 9) =>
        AuditSamples.End(seq, Zero) with { Result = AuditResult.Succeeded, FailedStage = "", Provenance = Envelope };

    private static AuditRecordFormatException ParseFails(string text) =>
        Assert.Throws<AuditRecordFormatException>(() => AuditRecordFormat.Parse(Encoding.ASCII.GetBytes(text)));

    private static string Replace(string text, string line, string with)
    {
        Assert.Contains("\n" + line + "\n", text, StringComparison.Ordinal);
        return text.Replace("\n" + line + "\n", with.Length == 0 ? "\n" : "\n" + with + "\n", StringComparison.Ordinal);
    }

    [Fact]
    public void A_v4_build_end_record_with_provenance_round_trips_byte_identically()
    {
        var text = AuditRecordFormat.Serialize(Succeeded());
        var back = AuditRecordFormat.Parse(Encoding.ASCII.GetBytes(text));

        Assert.StartsWith("builder-audit 4\n", text, StringComparison.Ordinal);
        Assert.Equal(20, Array.IndexOf(text.Split('\n'), "provenance " + Envelope) + 1);
        Assert.Contains($"\nsignature {Convert.ToBase64String(Encoding.UTF8.GetBytes(AuditSamples.Signature))}\nprovenance {Envelope}\nresult succeeded\n", text, StringComparison.Ordinal);
        Assert.Equal((4, Envelope), (back.FormatVersion, back.Provenance));
        Assert.Equal(text, AuditRecordFormat.Serialize(back));
        Assert.Equal(24, text.Count(c => c == '\n'));
    }

    [Fact]
    public void A_v4_build_start_record_carries_provenance_as_the_bare_key()
    {
        var text = AuditRecordFormat.Serialize(AuditSamples.Start(1, "genesis"));

        Assert.EndsWith("\nprovenance\n", text, StringComparison.Ordinal);
        Assert.Equal("", AuditRecordFormat.Parse(Encoding.ASCII.GetBytes(text)).Provenance);
        Assert.Equal(["builder-audit", .. AuditFields.Common], text.TrimEnd('\n').Split('\n').Select(l => l.Split(' ')[0]));
    }

    [Theory]
    [InlineData(AuditResult.Failed)]
    [InlineData(AuditResult.Cancelled)]
    [InlineData(AuditResult.Succeeded)]
    public void A_v4_build_end_record_may_carry_an_empty_provenance(AuditResult result)
    {
        var record = AuditSamples.End(9, Zero) with { Result = result, FailedStage = result == AuditResult.Failed ? "building" : "" };

        var text = AuditRecordFormat.Serialize(record);

        Assert.Contains("\nprovenance\nresult ", text, StringComparison.Ordinal);
        Assert.Equal("", AuditRecordFormat.Parse(Encoding.ASCII.GetBytes(text)).Provenance);
    }

    [Fact]
    public void A_v2_record_written_before_version_4_still_reads_and_re_serializes_to_the_same_bytes()
    {
        var record = AuditRecordFormat.Parse(Encoding.ASCII.GetBytes(AuditV2Fixtures.StartText));

        Assert.Equal((2, ""), (record.FormatVersion, record.Provenance));
        Assert.Equal(AuditV2Fixtures.StartText, AuditRecordFormat.Serialize(record));
        Assert.Equal(AuditV2Fixtures.StartText, AuditRecordFormat.Serialize(AuditSamples.StartV2(1, "genesis")));
        Assert.DoesNotContain("provenance", AuditRecordFormat.Serialize(AuditSamples.EndV2(2, Zero)), StringComparison.Ordinal);
    }

    [Fact]
    public void A_chain_mixing_v1_v2_and_v4_records_is_intact()
    {
        var records = new List<AuditRecord>();
        var observations = new List<AuditObservation>();
        var prev = AuditFields.Genesis;
        foreach (var make in new Func<long, string, AuditRecord>[]
        {
            (s, p) => AuditSamples.StartV1(s, p, build: 1), (s, p) => AuditSamples.EndV1(s, p, build: 1),
            (s, p) => AuditSamples.StartV2(s, p, build: 3), (s, p) => AuditSamples.EndV2(s, p, build: 3),
            (s, p) => AuditSamples.Start(s, p, build: 5), (s, p) => Succeeded(s) with { Prev = p, Build = 5 },
        })
        {
            var record = make(observations.Count + 1, prev);
            var text = AuditRecordFormat.Serialize(record);
            prev = AuditRecordFormat.Hash(text);
            observations.Add(AuditSamples.Observe(record, text, $"mail{record.Seq}"));
        }

        var report = AuditChainVerifier.Verify(observations);

        Assert.True(report.Intact, string.Join("; ", report.Findings));
        Assert.Equal([1, 1, 2, 2, 4, 4], observations.Select(o => o.Record!.FormatVersion));
    }

    public static TheoryData<string, string, string> MalformedEnd => new()
    {
        { "provenance " + Envelope, "provenance sha256:00", "audit record line 20 (provenance): expected 'sha256:' followed by 64 lowercase hex digits" },
        { "provenance " + Envelope, "provenance " + Envelope.ToUpperInvariant(), "audit record line 20 (provenance): expected 'sha256:' followed by 64 lowercase hex digits" },
        { "provenance " + Envelope, "provenance " + new string('7', 64), "audit record line 20 (provenance): expected 'sha256:' followed by 64 lowercase hex digits" },
        { "provenance " + Envelope, "provenance " + Envelope + " " + Envelope, "audit record line 20 (provenance): expected 'sha256:' followed by 64 lowercase hex digits" },
        { "provenance " + Envelope, "provenance  " + Envelope, "audit record line 20 (provenance): values are separated by single spaces, without leading or trailing space" },
        { "provenance " + Envelope, "provenance " + Envelope + " ", "audit record line 20 (provenance): values are separated by single spaces, without leading or trailing space" },
        { "provenance " + Envelope, "provenance:" + Envelope, "audit record line 20 (provenance): expected field 'provenance'" },
        { "provenance " + Envelope, "", "audit record line 20 (provenance): expected field 'provenance'" },
        { "result succeeded\nfailed-stage", "result failed\nfailed-stage building", "audit record line 20 (provenance): is given only when the result is 'succeeded'" },
        { "result succeeded\nfailed-stage", "result cancelled\nfailed-stage", "audit record line 20 (provenance): is given only when the result is 'succeeded'" },
    };

    [Theory]
    [MemberData(nameof(MalformedEnd))]
    public void A_malformed_provenance_value_is_rejected_naming_line_and_field(string line, string replacement, string message)
    {
        var text = "\n" + AuditRecordFormat.Serialize(Succeeded());

        Assert.Equal(message, ParseFails(Replace(text, line, replacement)[1..]).Message);
    }

    [Fact]
    public void A_build_start_record_with_a_provenance_value_or_without_the_line_is_rejected()
    {
        var text = "\n" + AuditRecordFormat.Serialize(AuditSamples.Start(7, Zero));

        Assert.Equal("audit record line 20 (provenance): is empty in build-start records", ParseFails(Replace(text, "provenance", "provenance " + Envelope)[1..]).Message);
        Assert.Equal("audit record line 20 (provenance): missing", ParseFails(Replace(text, "provenance", "")[1..]).Message);
    }

    [Theory]
    [InlineData(2, 20)]
    [InlineData(1, 19)]
    public void A_v1_or_v2_record_with_a_provenance_line_is_rejected_as_such(int version, int line)
    {
        var record = version == 1 ? AuditSamples.EndV1(9, Zero) : AuditSamples.EndV2(9, Zero);
        var text = "\n" + AuditRecordFormat.Serialize(record);
        var result = text.Split('\n').Single(l => l.StartsWith("result ", StringComparison.Ordinal));

        Assert.Equal($"audit record line {line} (provenance): is not a field of builder-audit {version} records",
            ParseFails(Replace(text, result, $"provenance {Envelope}\n{result}")[1..]).Message);
        Assert.Equal($"audit record line {line} (provenance): is not a field of builder-audit {version} records",
            ParseFails(Replace(text, result, $"provenance\n{result}")[1..]).Message);
    }

    [Fact]
    public void Provenance_that_a_record_cannot_carry_cannot_be_written()
    {
        Assert.Equal("cannot write audit record for build 42: audit record line 20 (provenance): is not a field of builder-audit 2 records (Parameter 'record')",
            Assert.Throws<ArgumentException>(() => AuditRecordFormat.Serialize(Succeeded() with { FormatVersion = 2 })).Message);
        Assert.Contains("line 20 (provenance): is not a field of builder-audit 1 records",
            Assert.Throws<ArgumentException>(() => AuditRecordFormat.Serialize(AuditSamples.EndV1(9, Zero) with { Provenance = Envelope })).Message, StringComparison.Ordinal);
        Assert.Contains("line 20 (provenance): is empty in build-start records",
            Assert.Throws<ArgumentException>(() => AuditRecordFormat.Serialize(AuditSamples.Start(9, Zero) with { Provenance = Envelope })).Message, StringComparison.Ordinal);
        Assert.Contains("line 20 (provenance): is given only when the result is 'succeeded'",
            Assert.Throws<ArgumentException>(() => AuditRecordFormat.Serialize(AuditSamples.End(9, Zero) with { Provenance = Envelope })).Message, StringComparison.Ordinal);
        Assert.Contains("(provenance): is not a field of checkpoint records",
            Assert.Throws<ArgumentException>(() => AuditRecordFormat.Serialize(AuditRecord.Checkpoint(9, Zero, "builder1.example.org", DateTimeOffset.UnixEpoch) with { Provenance = Envelope })).Message,
            StringComparison.Ordinal);
    }

    [Fact]
    public void A_checkpoint_with_a_provenance_line_is_rejected()
    {
        var text = AuditRecordFormat.Serialize(AuditRecord.Checkpoint(9, Zero, "builder1.example.org", new DateTimeOffset(2026, 12, 6, 0, 0, 0, TimeSpan.Zero)));

        Assert.Equal("audit record line 7 (provenance): is not a field of checkpoint records", ParseFails(text + "provenance " + Envelope + "\n").Message);
    }
}
