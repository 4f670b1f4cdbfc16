using System.Text;
using Builder.Core.Audit;

namespace Builder.Core.Tests.Audit;

/// <summary>Mutated and random inputs: the parser either returns a record that re-serializes to the same bytes or throws its own exception.</summary>
public sealed class AuditRecordFormatFuzzTests
{
    [Fact]
    public void Mutated_records_never_crash_the_parser_and_every_accepted_one_is_canonical()
    {
        var random = new Random(20261122);
        var seeds = new[]
        {
            Encoding.ASCII.GetBytes(AuditRecordFormat.Serialize(AuditSamples.Start(1, "genesis"))),
            Encoding.ASCII.GetBytes(AuditRecordFormat.Serialize(AuditSamples.End(9, "sha256:" + new string('1', 64)) with { CopyOf = new(3, 8) })),
            Encoding.ASCII.GetBytes(AuditV1Fixtures.StartText),
            Encoding.ASCII.GetBytes(AuditV1Fixtures.EndText),
        };
        var accepted = 0;
        for (var i = 0; i < 20_000; i++)
        {
            var input = Mutate(seeds[i % seeds.Length], random);
            try
            {
                var record = AuditRecordFormat.Parse(input);
                Assert.Equal(input, Encoding.ASCII.GetBytes(AuditRecordFormat.Serialize(record)));
                accepted++;
            }
            catch (AuditRecordFormatException e)
            {
                Assert.StartsWith("audit record line ", e.Message, StringComparison.Ordinal);
            }
        }
        // Some mutations (e.g. a digit of a hash) keep the record valid; most must not.
        Assert.InRange(accepted, 1, 19_999);
    }

    /// <summary>Lines a checkpoint must not carry, or carries once: build fields, repeated or misplaced ones, other magics.</summary>
    private static readonly string[] CheckpointLines =
    [
        "build 7", "pocket dev", "package hello", "commit", "version", "requester alice", "acl sha256:", "image", "build-deps", "copy-of",
        "request", "signature", "result succeeded", "failed-stage", "artifacts", "compile-jobs", "host h", "time 2026-12-03T18:00:00Z",
        "seq 4", "prev genesis", "event checkpoint", "event build-start", "builder-audit 3", "builder-audit 2", "", " ", "host", "time",
    ];

    [Fact]
    public void Checkpoints_mutated_line_by_line_never_crash_the_parser_and_every_accepted_one_is_canonical()
    {
        var random = new Random(20261206);
        var at = new DateTimeOffset(2026, 12, 3, 18, 0, 0, TimeSpan.Zero);
        var seeds = new[]
        {
            AuditRecordFormat.Serialize(AuditRecord.Checkpoint(1240, "sha256:" + new string('9', 64), "builder1.example.org", at)),
            AuditRecordFormat.Serialize(AuditRecord.Checkpoint(1, AuditFields.Genesis, "b1", at)),
        };
        var accepted = 0;
        for (var i = 0; i < 20_000; i++)
        {
            var lines = seeds[i % 2].TrimEnd('\n').Split('\n').ToList();
            for (var e = random.Next(1, 4); e > 0; e--)
            {
                var n = random.Next(lines.Count);
                switch (random.Next(5))
                {
                    case 0: lines.Insert(random.Next(lines.Count + 1), CheckpointLines[random.Next(CheckpointLines.Length)]); break;
                    case 1 when lines.Count > 1: lines.RemoveAt(n); break;
                    case 2: (lines[n], lines[^1]) = (lines[^1], lines[n]); break;
                    case 3: lines.Insert(n, lines[n]); break;
                    default: lines[n] += " " + CheckpointLines[random.Next(CheckpointLines.Length)]; break;
                }
            }
            var input = Encoding.ASCII.GetBytes(string.Join('\n', lines) + "\n");
            try
            {
                Assert.Equal(input, Encoding.ASCII.GetBytes(AuditRecordFormat.Serialize(AuditRecordFormat.Parse(input))));
                accepted++;
            }
            catch (AuditRecordFormatException e)
            {
                Assert.StartsWith("audit record line ", e.Message, StringComparison.Ordinal);
            }
        }
        // A swap of a line with itself, or a seq line replaced by an equal one, keeps a checkpoint valid; most edits must not.
        Assert.InRange(accepted, 1, 19_999);
    }

    [Fact]
    public void Random_bytes_are_rejected_with_a_format_error()
    {
        var random = new Random(7);
        for (var i = 0; i < 5_000; i++)
        {
            var input = new byte[random.Next(0, 2048)];
            random.NextBytes(input);
            Assert.Throws<AuditRecordFormatException>(() => AuditRecordFormat.Parse(input));
        }
    }

    private static byte[] Mutate(byte[] seed, Random random)
    {
        var bytes = new List<byte>(seed);
        var edits = random.Next(1, 4);
        for (var e = 0; e < edits && bytes.Count > 0; e++)
        {
            var at = random.Next(bytes.Count);
            switch (random.Next(5))
            {
                case 0: bytes[at] = (byte)random.Next(256); break;
                case 1: bytes.RemoveAt(at); break;
                case 2: bytes.Insert(at, (byte)" \n=az09:-"[random.Next(9)]); break;
                case 3: bytes.RemoveRange(at, Math.Min(bytes.Count - at, random.Next(1, 200))); break;
                default: bytes[at] = (byte)"0123456789abcdef"[random.Next(16)]; break;
            }
        }
        return [.. bytes];
    }
}
