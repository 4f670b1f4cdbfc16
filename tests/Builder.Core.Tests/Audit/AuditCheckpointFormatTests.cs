using System.Text;
using Builder.Core.Audit;

namespace Builder.Core.Tests.Audit;

/// <summary>The checkpoint record (<c>builder-audit 3</c>): seq, prev, event, host and time, nothing else.</summary>
public sealed class AuditCheckpointFormatTests
{
    private static readonly string Head = "sha256:" + new string('0', 64);

    private static readonly DateTimeOffset At = new(2026, 12, 3, 18, 0, 0, TimeSpan.Zero);

    public const string Text = """
        builder-audit 3
        seq 12
        prev sha256:0000000000000000000000000000000000000000000000000000000000000000
        event checkpoint
        host builder1.example.org
        time 2026-12-03T18:00:00Z

        """;

    private static AuditRecordFormatException ParseFails(string text) =>
        Assert.Throws<AuditRecordFormatException>(() => AuditRecordFormat.Parse(Encoding.ASCII.GetBytes(text)));

    [Fact]
    public void A_checkpoint_record_round_trips_byte_for_byte()
    {
        var record = AuditRecord.Checkpoint(12, Head, "builder1.example.org", At);

        var text = AuditRecordFormat.Serialize(record);
        var back = AuditRecordFormat.Parse(Encoding.ASCII.GetBytes(Text));

        Assert.Equal(Text, text);
        Assert.Equal(Text, AuditRecordFormat.Serialize(back));
        Assert.Equal((3, 12L, Head, AuditEvent.Checkpoint, "builder1.example.org", At), (back.FormatVersion, back.Seq, back.Prev, back.Event, back.Host, back.Time));
        Assert.Equal(0, back.Build);
    }

    [Fact]
    public void A_checkpoint_of_an_empty_chain_is_seq_1_with_prev_genesis()
    {
        var text = AuditRecordFormat.Serialize(AuditRecord.Checkpoint(1, AuditFields.Genesis, "builder1.example.org", At));
        Assert.StartsWith("builder-audit 3\nseq 1\nprev genesis\nevent checkpoint\n", text, StringComparison.Ordinal);
    }

    public static TheoryData<string, string, string> Malformed => new()
    {
        // A checkpoint with build fields.
        { "host builder1.example.org", "build 42\nhost builder1.example.org", "audit record line 5 (build): is not a field of checkpoint records" },
        { "time 2026-12-03T18:00:00Z", "pocket dev\ntime 2026-12-03T18:00:00Z", "audit record line 6 (pocket): is not a field of checkpoint records" },
        { "time 2026-12-03T18:00:00Z", "time 2026-12-03T18:00:00Z\nrequest YQ==", "audit record line 7 (request): is not a field of checkpoint records" },
        { "time 2026-12-03T18:00:00Z", "time 2026-12-03T18:00:00Z\nresult succeeded", "audit record line 7 (result): is not a field of checkpoint records" },
        { "time 2026-12-03T18:00:00Z", "time 2026-12-03T18:00:00Z\nhead 11", "audit record line 7 (record): unexpected line after the last field" },
        // A checkpoint in a build record's version, and a build record in the checkpoint's version.
        { "builder-audit 3", "builder-audit 2", "audit record line 4 (event): checkpoint records are builder-audit 3, build records builder-audit 1, 2 or 4" },
        { "builder-audit 3", "builder-audit 4", "audit record line 4 (event): checkpoint records are builder-audit 3, build records builder-audit 1, 2 or 4" },
        { "builder-audit 3", "builder-audit 1", "audit record line 4 (event): checkpoint records are builder-audit 3, build records builder-audit 1, 2 or 4" },
        { "event checkpoint", "event build-start", "audit record line 4 (event): checkpoint records are builder-audit 3, build records builder-audit 1, 2 or 4" },
        // Missing time or host.
        { "time 2026-12-03T18:00:00Z", "", "audit record line 6 (time): missing" },
        { "time 2026-12-03T18:00:00Z", "time", "audit record line 6 (time): expected UTC time as yyyy-MM-ddTHH:mm:ssZ" },
        { "time 2026-12-03T18:00:00Z", "time 2026-12-03T18:00:00+01:00", "audit record line 6 (time): expected UTC time as yyyy-MM-ddTHH:mm:ssZ" },
        { "host builder1.example.org", "", "audit record line 5 (host): expected field 'host'" },
        { "host builder1.example.org", "host", "audit record line 5 (host): must not be empty" },
        // A bad head: the certified head is seq - 1 and prev.
        { "prev sha256:0000000000000000000000000000000000000000000000000000000000000000", "prev genesis", "audit record line 3 (prev): expected 'sha256:' followed by 64 lowercase hex digits" },
        { "prev sha256:0000000000000000000000000000000000000000000000000000000000000000", "prev sha256:00", "audit record line 3 (prev): expected 'sha256:' followed by 64 lowercase hex digits" },
        { "prev sha256:0000000000000000000000000000000000000000000000000000000000000000", "prev", "audit record line 3 (prev): expected 'sha256:' followed by 64 lowercase hex digits" },
        { "seq 12", "seq 1", "audit record line 3 (prev): seq 1 must have prev 'genesis'" },
        { "seq 12", "seq 012", "audit record line 2 (seq): expected a decimal number >= 1 without leading zeros" },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public void A_malformed_checkpoint_is_rejected_with_a_message_naming_line_and_field(string line, string replacement, string message)
    {
        Assert.Contains("\n" + line + "\n", "\n" + Text, StringComparison.Ordinal);
        var bad = ("\n" + Text).Replace("\n" + line + "\n", replacement.Length == 0 ? "\n" : "\n" + replacement + "\n", StringComparison.Ordinal)[1..];
        Assert.Equal(message, ParseFails(bad).Message);
    }

    [Fact]
    public void A_build_record_in_checkpoint_form_is_rejected()
    {
        var start = AuditRecordFormat.Serialize(AuditSamples.Start(12, Head)).Replace("builder-audit 4\n", "builder-audit 3\n", StringComparison.Ordinal);
        Assert.Equal("audit record line 4 (event): checkpoint records are builder-audit 3, build records builder-audit 1, 2 or 4", ParseFails(start).Message);
    }

    [Fact]
    public void A_checkpoint_carrying_a_build_value_cannot_be_written()
    {
        var withBuild = AuditRecord.Checkpoint(12, Head, "builder1.example.org", At) with { Build = 42 };
        var withArtifacts = AuditRecord.Checkpoint(12, Head, "builder1.example.org", At) with { Artifacts = [new("a.deb", new string('c', 64))] };
        var asV2 = AuditRecord.Checkpoint(12, Head, "builder1.example.org", At) with { FormatVersion = 2 };
        var startAsV3 = AuditSamples.Start(12, Head) with { FormatVersion = 3 };

        Assert.Equal("cannot write checkpoint record seq 12: audit record line 0 (build): is not a field of checkpoint records (Parameter 'record')",
            Assert.Throws<ArgumentException>(() => AuditRecordFormat.Serialize(withBuild)).Message);
        Assert.Contains("(artifacts): is not a field of checkpoint records", Assert.Throws<ArgumentException>(() => AuditRecordFormat.Serialize(withArtifacts)).Message, StringComparison.Ordinal);
        Assert.Contains("line 4 (event): checkpoint records are builder-audit 3", Assert.Throws<ArgumentException>(() => AuditRecordFormat.Serialize(asV2)).Message, StringComparison.Ordinal);
        Assert.Contains("cannot write audit record for build 42: audit record line 4 (event): checkpoint records are builder-audit 3",
            Assert.Throws<ArgumentException>(() => AuditRecordFormat.Serialize(startAsV3)).Message, StringComparison.Ordinal);
    }
}
