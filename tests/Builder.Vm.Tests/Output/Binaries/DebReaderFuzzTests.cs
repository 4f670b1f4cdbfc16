using System.Globalization;
using System.Text;
using Builder.Vm.Output.Binaries;
using Xunit.Abstractions;

namespace Builder.Vm.Tests.Output.Binaries;

public sealed class DebReaderFuzzTests(ITestOutputHelper output)
{
    private const int MutationsPerCompression = 1000;

    [Theory]
    [InlineData("gzip", 1)]
    [InlineData("xz", 2)]
    [InlineData("zstd", 3)]
    [InlineData("none", 4)]
    public void Mutated_packages_either_parse_or_fail_with_a_format_error_each_in_bounded_memory(string compression, int seed)
    {
        var valid = TestDebs.BuildBytes(TestDebs.Control, compression);
        var sizeFields = SizeFieldOffsets(valid);
        var controlSize = int.Parse(Encoding.ASCII.GetString(valid, sizeFields[1], 10).Trim(), CultureInfo.InvariantCulture);
        var control = new Range(sizeFields[1] + 12, sizeFields[1] + 12 + controlSize);
        var random = new Random(20261202 + seed);
        var parsed = 0;
        long most = 0;
        var mapped = new SortedDictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < MutationsPerCompression; i++)
        {
            var deb = Mutate(valid, sizeFields, control, random, i);
            var before = GC.GetAllocatedBytesForCurrentThread();
            try
            {
                var fields = DebReader.Read(new MemoryStream(deb), "fuzz.deb");
                Assert.NotNull(fields.FieldNames);
                parsed++;
            }
            catch (DebFormatException e)
            {
                Assert.StartsWith("fuzz.deb: ", e.Message, StringComparison.Ordinal);
                var key = e.InnerException?.GetType().FullName ?? "(the reader's own check)";
                mapped[key] = mapped.GetValueOrDefault(key) + 1;
            }
            most = Math.Max(most, GC.GetAllocatedBytesForCurrentThread() - before);
        }
        // Which library exceptions were mapped, for whoever reads the test log.
        output.WriteLine($"{compression}: {parsed} parsed, at most {most >> 10} KiB allocated per package; refused: "
            + string.Join(", ", mapped.Select(m => $"{m.Key} {m.Value}")));
        // A bound on work that does not depend on the machine's load: what the reader's caps allow at most (the
        // compressed member, a decoder's dictionary, the decompressed tar), never what a mutated header announces.
        var limits = DebReaderLimits.Default;
        Assert.InRange(most, 0, limits.MaxControlMemberSize + limits.MaxDictionarySize + limits.MaxControlTarSize + (16L << 20));
        // Some mutations hit bytes nobody reads (data.tar, mtime fields); most must be caught.
        Assert.InRange(parsed, 1, MutationsPerCompression - 1);
    }

    // Half the time inside the control member, where the decompressors and the tar walk see the damage.
    private static int Position(int length, Range control, Random random) =>
        random.Next(2) == 0 ? random.Next(control.Start.Value, control.End.Value) : random.Next(length);

    private static byte[] Mutate(byte[] valid, int[] sizeFields, Range control, Random random, int i)
    {
        var deb = (byte[])valid.Clone();
        switch (i % 5)
        {
            case 0:
                for (var flips = random.Next(1, 8); flips > 0; flips--)
                {
                    var at = Position(deb.Length, control, random);
                    deb[at] ^= (byte)(1 << random.Next(8));
                }
                return deb;
            case 1:
                return deb[..random.Next(deb.Length)];
            case 2:
                var insertAt = random.Next(deb.Length);
                var inserted = new byte[random.Next(1, 16)];
                random.NextBytes(inserted);
                return [.. deb[..insertAt], .. inserted, .. deb[insertAt..]];
            case 3:
                var field = sizeFields[random.Next(sizeFields.Length)];
                var value = random.Next(4) switch
                {
                    0 => random.NextInt64(0, 10_000_000_000).ToString(CultureInfo.InvariantCulture),
                    1 => (long.Parse(Encoding.ASCII.GetString(deb, field, 10).Trim(), CultureInfo.InvariantCulture) + random.Next(-3, 4))
                        .ToString(CultureInfo.InvariantCulture),
                    2 => "-1",
                    _ => new string((char)random.Next(32, 127), random.Next(1, 10)),
                };
                Encoding.ASCII.GetBytes(value.PadRight(10)[..10]).CopyTo(deb, field);
                return deb;
            default:
                // Random bytes over a random stretch: headers, compressed data, the tar inside.
                var start = Position(deb.Length, control, random);
                var length = Math.Min(random.Next(1, 64), deb.Length - start);
                random.NextBytes(deb.AsSpan(start, length));
                return deb;
        }
    }

    // Where each ar member header's 10-byte size field is in the valid package.
    private static int[] SizeFieldOffsets(byte[] deb)
    {
        var offsets = new List<int>();
        var at = 8;
        while (at + 60 <= deb.Length)
        {
            offsets.Add(at + 48);
            var size = int.Parse(Encoding.ASCII.GetString(deb, at + 48, 10).Trim(), CultureInfo.InvariantCulture);
            at += 60 + size + (size % 2);
        }
        Assert.Equal(3, offsets.Count);
        return [.. offsets];
    }
}
