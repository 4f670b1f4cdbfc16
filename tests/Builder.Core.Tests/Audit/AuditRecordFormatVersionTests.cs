using System.Text;
using Builder.Core.Audit;

namespace Builder.Core.Tests.Audit;

/// <summary>Version 2 (build-dep origins and hashes, copy-of) next to version 1 records that mailboxes already hold.</summary>
public sealed class AuditRecordFormatVersionTests
{
    private static readonly string Zero = "sha256:" + new string('0', 64);

    private static AuditRecord Parse(string text) => AuditRecordFormat.Parse(Encoding.ASCII.GetBytes(text));

    private static AuditRecordFormatException ParseFails(string text) =>
        Assert.Throws<AuditRecordFormatException>(() => AuditRecordFormat.Parse(Encoding.ASCII.GetBytes(text)));

    private static string Replace(string text, string line, string with)
    {
        Assert.Contains("\n" + line + "\n", text, StringComparison.Ordinal);
        return text.Replace("\n" + line + "\n", "\n" + with + "\n", StringComparison.Ordinal);
    }

    private static string Line(string text, string key) => text.Split('\n').Single(l => l == key || l.StartsWith(key + " ", StringComparison.Ordinal));

    [Fact]
    public void A_v2_record_with_build_deps_of_both_origins_and_a_copy_source_round_trips_byte_identically()
    {
        var record = AuditSamples.EndV2(9, Zero) with { Result = AuditResult.Succeeded, FailedStage = "", CopyOf = new AuditCopySource(41, 6) };

        var text = AuditRecordFormat.Serialize(record);
        var back = Parse(text);

        Assert.StartsWith("builder-audit 2\n", text, StringComparison.Ordinal);
        Assert.Contains("\ncopy-of 41 6\nrequest ", text, StringComparison.Ordinal);
        Assert.Equal(text, AuditRecordFormat.Serialize(back));
        Assert.Equal(2, back.FormatVersion);
        Assert.Equal(new AuditCopySource(41, 6), back.CopyOf);
        Assert.Equal(
            [
                new AuditBuildDependency("debhelper-compat", "13", "mirror", new string('1', 64)),
                new AuditBuildDependency("libc6-dev", "2.36-9+deb12u4", "pocket:dev", new string('2', 64)),
            ],
            back.BuildDeps);
        Assert.Equal("dev", AuditDependencyOrigin.PocketOf(back.BuildDeps[1].Origin!));
        Assert.Null(AuditDependencyOrigin.PocketOf(back.BuildDeps[0].Origin!));
    }

    [Fact]
    public void A_build_without_copy_source_or_build_deps_writes_both_as_bare_keys()
    {
        var text = AuditRecordFormat.Serialize(AuditSamples.StartV2(1, "genesis") with { BuildDeps = [] });
        Assert.Contains("\nbuild-deps\ncopy-of\nrequest ", text, StringComparison.Ordinal);
        var back = Parse(text);
        Assert.Empty(back.BuildDeps);
        Assert.Null(back.CopyOf);
    }

    [Fact]
    public void The_v1_fixture_records_still_parse_hash_and_round_trip_byte_identically()
    {
        foreach (var (text, hash) in new[] { (AuditV1Fixtures.StartText, AuditV1Fixtures.StartHash), (AuditV1Fixtures.EndText, AuditV1Fixtures.EndHash) })
        {
            var record = Parse(text);
            Assert.Equal(1, record.FormatVersion);
            Assert.Null(record.CopyOf);
            Assert.Equal([new("debhelper-compat", "13"), new("libc6-dev", "2.36-9+deb12u4")], record.BuildDeps);
            Assert.Equal(text, AuditRecordFormat.Serialize(record));
            Assert.Equal(hash, AuditRecordFormat.Hash(text));
        }
        Assert.Equal(AuditV1Fixtures.StartHash, Parse(AuditV1Fixtures.EndText).Prev);
    }

    [Fact]
    public void A_version_1_record_is_written_exactly_as_before()
    {
        Assert.Equal(AuditV1Fixtures.StartText, AuditRecordFormat.Serialize(AuditSamples.StartV1(1, "genesis")));
        Assert.Equal(AuditV1Fixtures.EndText, AuditRecordFormat.Serialize(AuditSamples.EndV1(2, AuditV1Fixtures.StartHash)));
    }

    public static TheoryData<string, string, string> MalformedV2 => new()
    {
        // line replaced, replacement, exact message
        {
            "build-deps", "build-deps debhelper-compat=13 mirror",
            "audit record line 16 (build-deps): 2 values are not triples of name=version, origin and sha256"
        },
        {
            "build-deps", "build-deps debhelper-compat=13 libc6-dev=2.36-9+deb12u4",
            "audit record line 16 (build-deps): 2 values are not triples of name=version, origin and sha256"
        },
        {
            "build-deps", $"build-deps debhelper-compat=13 pocket: {new string('1', 64)}",
            "audit record line 16 (build-deps): entry 1: the origin is neither 'mirror' nor 'pocket:<pocket name>'"
        },
        {
            "build-deps", $"build-deps debhelper-compat=13 mirror {new string('1', 64)} gcc=4:12.2.0-3 pocket:Bad_Name {new string('2', 64)}",
            "audit record line 16 (build-deps): entry 2: the origin is neither 'mirror' nor 'pocket:<pocket name>'"
        },
        {
            "build-deps", $"build-deps debhelper-compat=13 elsewhere {new string('1', 64)}",
            "audit record line 16 (build-deps): entry 1: the origin is neither 'mirror' nor 'pocket:<pocket name>'"
        },
        {
            "build-deps", $"build-deps debhelper-compat=13 mirror {new string('1', 63)}",
            "audit record line 16 (build-deps): entry 1: expected the .deb's sha256 as 64 lowercase hex digits"
        },
        {
            "build-deps", $"build-deps debhelper-compat=13 mirror {new string('A', 64)}",
            "audit record line 16 (build-deps): entry 1: expected the .deb's sha256 as 64 lowercase hex digits"
        },
        {
            "build-deps", $"build-deps debhelper-compat mirror {new string('1', 64)}",
            "audit record line 16 (build-deps): entry 1 is not name=version"
        },
        {
            "build-deps", $"build-deps debhelper-compat=13 mirror {new string('1', 64)} debhelper-compat=13 pocket:dev {new string('2', 64)}",
            "audit record line 16 (build-deps): entry 2: debhelper-compat=13 is listed twice"
        },
        { "copy-of", "copy-of 5", "audit record line 17 (copy-of): expected '<build> <seq>', two decimal numbers >= 1 without leading zeros" },
        { "copy-of", "copy-of 5 3 1", "audit record line 17 (copy-of): expected '<build> <seq>', two decimal numbers >= 1 without leading zeros" },
        { "copy-of", "copy-of 05 3", "audit record line 17 (copy-of): expected '<build> <seq>', two decimal numbers >= 1 without leading zeros" },
        { "copy-of", "copy-of 5 03", "audit record line 17 (copy-of): expected '<build> <seq>', two decimal numbers >= 1 without leading zeros" },
        { "copy-of", "copy-of 0 3", "audit record line 17 (copy-of): expected '<build> <seq>', two decimal numbers >= 1 without leading zeros" },
        { "copy-of", "copy-of 5 0", "audit record line 17 (copy-of): expected '<build> <seq>', two decimal numbers >= 1 without leading zeros" },
        { "copy-of", "copy-of 5 7", "audit record line 17 (copy-of): names seq 7, which is not before this record's seq 7" },
        { "copy-of", "copy-of 5 12", "audit record line 17 (copy-of): names seq 12, which is not before this record's seq 7" },
        { "copy-of", "request", "audit record line 17 (copy-of): expected field 'copy-of'" },
        { "builder-audit", "builder-audit 5", "audit record line 1 (magic): format version 5 is not supported (known: 1, 2, 3, 4)" },
        { "builder-audit", "builder-audit 0", "audit record line 1 (magic): format version 0 is not supported (known: 1, 2, 3, 4)" },
        { "builder-audit", "builder-audit 3", "audit record line 4 (event): checkpoint records are builder-audit 3, build records builder-audit 1, 2 or 4" },
        { "builder-audit", "builder-audit 02", "audit record line 1 (magic): expected 'builder-audit 1' to 'builder-audit 4'" },
        { "builder-audit", "builder-audit", "audit record line 1 (magic): expected 'builder-audit 1' to 'builder-audit 4'" },
    };

    [Theory]
    [MemberData(nameof(MalformedV2))]
    public void A_malformed_v2_record_is_rejected_with_a_message_naming_line_and_field(string key, string replacement, string message)
    {
        var text = "\n" + AuditRecordFormat.Serialize(AuditSamples.StartV2(7, Zero));
        var bad = Replace(text, Line(text, key), replacement)[1..];
        Assert.Equal(message, ParseFails(bad).Message);
    }

    [Fact]
    public void A_v2_record_without_its_copy_of_line_is_rejected()
    {
        var text = AuditRecordFormat.Serialize(AuditSamples.StartV2(7, Zero));
        var bad = text.Replace("\ncopy-of\n", "\n", StringComparison.Ordinal);
        var ex = ParseFails(bad);
        Assert.Equal("audit record line 17 (copy-of): expected field 'copy-of'", ex.Message);
        Assert.Equal((17, "copy-of"), (ex.Line, ex.Field));
    }

    [Theory]
    [InlineData("copy-of 5 1")]
    [InlineData("copy-of")]
    public void A_v1_record_with_a_copy_of_line_is_rejected_as_such(string copyOf)
    {
        var request = Line(AuditV1Fixtures.EndText, "request");
        var bad = AuditV1Fixtures.EndText.Replace("\n" + request + "\n", $"\n{copyOf}\n{request}\n", StringComparison.Ordinal);
        var ex = ParseFails(bad);
        Assert.Equal("audit record line 17 (copy-of): is not a field of builder-audit 1 records", ex.Message);
    }

    [Fact]
    public void A_v1_record_with_v2_build_deps_is_rejected()
    {
        var bad = Replace(AuditV1Fixtures.StartText, "build-deps debhelper-compat=13 libc6-dev=2.36-9+deb12u4",
            $"build-deps debhelper-compat=13 mirror {new string('1', 64)}");
        Assert.Equal("audit record line 16 (build-deps): entry 2 is not name=version", ParseFails(bad).Message);
    }

    [Fact]
    public void A_v2_build_dep_without_origin_or_sha256_cannot_be_written()
    {
        var noOrigin = AuditSamples.StartV2(1, "genesis") with { BuildDeps = [new("debhelper-compat", "13")] };
        var noHash = AuditSamples.StartV2(1, "genesis") with
        {
            BuildDeps = [new("debhelper-compat", "13", "mirror", new string('1', 64)), new("gcc", "4:12.2.0-3", "mirror")],
        };

        var ex = Assert.Throws<ArgumentException>(() => AuditRecordFormat.Serialize(noOrigin));
        Assert.Equal("cannot write audit record for build 42: audit record line 16 (build-deps): entry 1 has no origin; builder-audit 2 requires both for every entry (Parameter 'record')", ex.Message);
        Assert.Contains("line 16 (build-deps): entry 2 has no sha256;", Assert.Throws<ArgumentException>(() => AuditRecordFormat.Serialize(noHash)).Message, StringComparison.Ordinal);
        Assert.Contains("line 16 (build-deps): entry 1: the origin is neither",
            Assert.Throws<ArgumentException>(() => AuditRecordFormat.Serialize(noOrigin with { BuildDeps = [new("gcc", "4:12.2.0-3", "pocket:", new string('1', 64))] })).Message,
            StringComparison.Ordinal);
    }

    [Fact]
    public void A_v1_record_cannot_carry_a_copy_source_or_origins()
    {
        var copy = AuditSamples.StartV1(1, "genesis") with { CopyOf = new AuditCopySource(3, 2) };
        var origins = AuditSamples.StartV2(1, "genesis") with { FormatVersion = 1 };

        Assert.Contains("audit record line 17 (copy-of): is not a field of builder-audit 1 records",
            Assert.Throws<ArgumentException>(() => AuditRecordFormat.Serialize(copy)).Message, StringComparison.Ordinal);
        Assert.Contains("audit record line 16 (build-deps): entry 1 has an origin or sha256, which builder-audit 1 records do not carry",
            Assert.Throws<ArgumentException>(() => AuditRecordFormat.Serialize(origins)).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(5)]
    public void An_unknown_format_version_cannot_be_written(int version)
    {
        var ex = Assert.Throws<ArgumentException>(() => AuditRecordFormat.Serialize(AuditSamples.StartV2(1, "genesis") with { FormatVersion = version }));
        Assert.Contains($"audit record line 1 (magic): format version {version} is not supported (known: 1, 2, 3, 4)", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_copy_source_that_is_not_an_earlier_seq_cannot_be_written()
    {
        var record = AuditSamples.StartV2(7, Zero) with { CopyOf = new AuditCopySource(3, 7) };
        Assert.Contains("line 17 (copy-of): names seq 7, which is not before this record's seq 7",
            Assert.Throws<ArgumentException>(() => AuditRecordFormat.Serialize(record)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_pocket_origin_needs_a_pocket_name()
    {
        Assert.Equal("pocket:prod-2", AuditDependencyOrigin.Pocket("prod-2"));
        Assert.Throws<ArgumentException>(() => AuditDependencyOrigin.Pocket("Bad_Name"));
        Assert.Throws<ArgumentException>(() => AuditDependencyOrigin.Pocket(""));
        Assert.True(AuditValueRules.IsDependencyOrigin("mirror"));
        Assert.False(AuditValueRules.IsDependencyOrigin("pocket:"));
        Assert.False(AuditValueRules.IsDependencyOrigin("Mirror"));
    }

    [Fact]
    public void A_v2_record_with_a_thousand_five_hundred_build_deps_fits_the_raised_limit_and_round_trips()
    {
        var deps = Enumerable.Range(1, 1500)
            .Select(i => new AuditBuildDependency($"libpackage{i}-dev", $"1:{i}.2.13.dfsg-1", i % 3 == 0 ? "pocket:dev" : "mirror", Convert.ToHexStringLower(BitConverter.GetBytes(i)).PadLeft(64, 'f')))
            .ToList();
        var text = AuditRecordFormat.Serialize(AuditSamples.EndV2(2, Zero) with { BuildDeps = deps });

        Assert.InRange(text.Length, 128 * 1024, AuditRecordFormat.MaxRecordBytes);
        Assert.Equal(text, AuditRecordFormat.Serialize(Parse(text)));
        Assert.Equal(256 * 1024, AuditRecordFormat.MaxRecordBytes);
    }
}
