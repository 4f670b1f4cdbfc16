using System.Text;
using Builder.Core.Audit;

namespace Builder.Core.Tests.Audit;

public sealed class AuditRecordFormatTests
{
    [Fact]
    public void A_build_start_record_has_the_documented_lines_in_order()
    {
        var text = AuditRecordFormat.Serialize(AuditSamples.Start(7, "sha256:" + new string('0', 64)));
        var keys = text.TrimEnd('\n').Split('\n').Select(l => l.Split(' ')[0]).ToArray();
        Assert.Equal(
            ["builder-audit", "seq", "prev", "event", "build", "pocket", "package", "commit", "version", "requester", "key", "acl",
                "image", "host", "time", "build-deps", "copy-of", "request", "signature", "provenance"],
            keys);
        Assert.Equal(["builder-audit", .. AuditFields.Common], keys);
        Assert.StartsWith("builder-audit 4\nseq 7\nprev sha256:0000", text, StringComparison.Ordinal);
        Assert.Contains("\nevent build-start\nbuild 42\npocket dev\npackage hello\n", text, StringComparison.Ordinal);
        Assert.Contains(
            $"\ntime 2026-11-22T17:30:05Z\nbuild-deps debhelper-compat=13 mirror {new string('1', 64)} libc6-dev=2.36-9+deb12u4 pocket:dev {new string('2', 64)}\ncopy-of\nrequest ",
            text, StringComparison.Ordinal);
        Assert.Contains("\nrequest " + Convert.ToBase64String(Encoding.UTF8.GetBytes(AuditSamples.Request)) + "\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_build_end_record_adds_result_stage_artifacts_and_compile_jobs()
    {
        var text = AuditRecordFormat.Serialize(AuditSamples.End(8, "sha256:" + new string('0', 64)));
        Assert.EndsWith(
            $"\nresult failed\nfailed-stage building\nartifacts hello_2.10-3.dsc {new string('c', 64)} hello_2.10-3_amd64.deb {new string('d', 64)}\ncompile-jobs 17 sha256:{new string('e', 64)}\n",
            text, StringComparison.Ordinal);
    }

    [Fact]
    public void Empty_values_are_written_as_the_bare_key_and_read_back()
    {
        var record = AuditSamples.Start(1, "genesis") with { Commit = "", Version = "", Image = "", BuildDeps = [] };
        var text = AuditRecordFormat.Serialize(record);
        Assert.Contains("\ncommit\nversion\n", text, StringComparison.Ordinal);
        Assert.Contains("\nimage\nhost ", text, StringComparison.Ordinal);
        var back = AuditRecordFormat.Parse(Encoding.ASCII.GetBytes(text));
        Assert.Equal("", back.Commit);
        Assert.Empty(back.BuildDeps);
    }

    [Fact]
    public void Parsing_and_writing_again_gives_the_same_bytes()
    {
        foreach (var record in new[] { AuditSamples.Start(1, "genesis"), AuditSamples.End(2, "sha256:" + new string('f', 64)) })
        {
            var text = AuditRecordFormat.Serialize(record);
            var back = AuditRecordFormat.Parse(Encoding.ASCII.GetBytes(text));
            Assert.Equal(text, AuditRecordFormat.Serialize(back));
            Assert.Equal(AuditSamples.Request, back.Request);
            Assert.Equal(AuditSamples.Signature, back.Signature);
        }
    }

    [Fact]
    public void The_hash_is_sha256_of_the_record_bytes()
    {
        var text = AuditRecordFormat.Serialize(AuditSamples.Start(1, "genesis"));
        var expected = "sha256:" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.ASCII.GetBytes(text)));
        Assert.Equal(expected, AuditRecordFormat.Hash(text));
    }

    [Theory]
    [InlineData("seq 7", "seq 07", 2, "seq", "without leading zeros")]
    [InlineData("seq 7", "seq 0", 2, "seq", "decimal number >= 1")]
    [InlineData("event build-start", "event build-begin", 4, "event", "expected 'build-start', 'build-end' or 'checkpoint'")]
    [InlineData("pocket dev", "pocket Dev", 6, "pocket", "pocket name")]
    [InlineData("pocket dev", "pocket", 6, "pocket", "must not be empty")]
    [InlineData("requester alice", "requester alice bob", 10, "requester", "principal name")]
    [InlineData("host builder1.example.org", "host  builder1", 14, "host", "single spaces")]
    [InlineData("time 2026-11-22T17:30:05Z", "time 2026-11-22 17:30:05", 15, "time", "yyyy-MM-ddTHH:mm:ssZ")]
    [InlineData("build-deps debhelper-compat=13", "build-deps debhelper-compat", 16, "build-deps", "entry 1 is not name=version")]
    [InlineData("package hello", "pakage hello", 7, "package", "expected field 'package'")]
    public void A_bad_value_is_rejected_naming_line_and_field(string good, string evil, int line, string field, string problem)
    {
        var text = AuditRecordFormat.Serialize(AuditSamples.Start(7, "sha256:" + new string('0', 64)));
        Assert.Contains("\n" + good, text, StringComparison.Ordinal);
        var bad = text.Replace("\n" + good, "\n" + evil, StringComparison.Ordinal);
        var ex = Assert.Throws<AuditRecordFormatException>(() => AuditRecordFormat.Parse(Encoding.ASCII.GetBytes(bad)));
        Assert.Equal(line, ex.Line);
        Assert.Equal(field, ex.Field);
        Assert.StartsWith($"audit record line {line} ({field}): ", ex.Message, StringComparison.Ordinal);
        Assert.Contains(problem, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Seq_one_must_start_from_genesis_and_later_seqs_must_not()
    {
        var first = AuditRecordFormat.Serialize(AuditSamples.Start(1, "genesis")).Replace("seq 1\n", "seq 2\n", StringComparison.Ordinal);
        var ex = Assert.Throws<AuditRecordFormatException>(() => AuditRecordFormat.Parse(Encoding.ASCII.GetBytes(first)));
        Assert.Equal("audit record line 3 (prev): expected 'sha256:' followed by 64 lowercase hex digits", ex.Message);
        Assert.Throws<ArgumentException>(() => AuditRecordFormat.Serialize(AuditSamples.Start(1, "sha256:" + new string('0', 64))));
    }

    [Fact]
    public void A_failed_stage_is_given_exactly_when_the_result_is_failed()
    {
        var ex = Assert.Throws<ArgumentException>(() => AuditRecordFormat.Serialize(AuditSamples.End(2, "sha256:" + new string('0', 64)) with { Result = AuditResult.Succeeded }));
        Assert.Contains("line 22 (failed-stage): is given exactly when the result is 'failed'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Carriage_returns_control_bytes_and_missing_final_newline_are_rejected()
    {
        var text = AuditRecordFormat.Serialize(AuditSamples.Start(1, "genesis"));
        Assert.Equal("audit record line 1 (record): byte 0x0d is not printable ASCII",
            Assert.Throws<AuditRecordFormatException>(() => AuditRecordFormat.Parse(Encoding.ASCII.GetBytes(text.Replace("\nseq", "\r\nseq", StringComparison.Ordinal)))).Message);
        Assert.Equal("audit record line 0 (record): must end with a line feed",
            Assert.Throws<AuditRecordFormatException>(() => AuditRecordFormat.Parse(Encoding.ASCII.GetBytes(text.TrimEnd('\n')))).Message);
        Assert.Equal("audit record line 21 (record): unexpected line after the last field",
            Assert.Throws<AuditRecordFormatException>(() => AuditRecordFormat.Parse(Encoding.ASCII.GetBytes(text + "extra 1\n"))).Message);
    }

    [Fact]
    public void Non_canonical_base64_is_rejected()
    {
        var text = AuditRecordFormat.Serialize(AuditSamples.Start(1, "genesis"));
        // "aGk=" is "hi"; "aGl=" decodes to the same bytes with non-zero padding bits: a second spelling of one record.
        var request = text.Split('\n').Single(l => l.StartsWith("request ", StringComparison.Ordinal));
        var bad = text.Replace(request, "request aGl=", StringComparison.Ordinal);
        var ex = Assert.Throws<AuditRecordFormatException>(() => AuditRecordFormat.Parse(Encoding.ASCII.GetBytes(bad)));
        Assert.Equal("audit record line 18 (record): not in canonical form", ex.Message);
    }

    [Fact]
    public void A_record_over_the_size_limit_is_rejected_before_parsing()
    {
        var big = new byte[AuditRecordFormat.MaxRecordBytes + 1];
        big.AsSpan().Fill((byte)'a');
        var ex = Assert.Throws<AuditRecordFormatException>(() => AuditRecordFormat.Parse(big));
        Assert.Equal($"audit record line 0 (record): {big.Length} bytes exceed the limit of {AuditRecordFormat.MaxRecordBytes}", ex.Message);
    }

    [Fact]
    public void An_oversized_request_is_rejected()
    {
        var record = AuditSamples.Start(1, "genesis") with { Request = new string('x', AuditValueRules.MaxRequestBytes + 1) };
        var ex = Assert.Throws<ArgumentException>(() => AuditRecordFormat.Serialize(record));
        Assert.Contains("line 18 (request): expected base64 of at most 4096 bytes", ex.Message, StringComparison.Ordinal);
    }
}
