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
