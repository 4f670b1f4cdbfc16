using System.Buffers;
using System.Text;
using Builder.Farm.Protocol;
using Builder.Farm.Tests.Support;

namespace Builder.Farm.Tests.Protocol;

/// <summary>
/// Random and mutated streams into both parsers: each input ends in a message, "need more" or a ProtocolException,
/// never another exception, and never allocates more than the limits allow.
/// </summary>
public sealed class ParserFuzzTests
{
    private const int Iterations = 120_000;
    private static readonly ProtocolLimits Limits = Wire.Limits();

    // What one parse may allocate at most: the decompressor's growing buffers up to the cap (each at most the cap,
    // four-fold growth from 64 KiB), the copies of the input, and small change.
    private static readonly long AllocationBound = (3L * Limits.MaxDecompressedBytes) + (1L << 20);

    [Fact]
    public async Task Random_and_mutated_requests_never_crash_hang_or_overallocate()
    {
        var random = new Random(20261123);
        var seeds = RequestSeeds();
        var outcomes = new int[3];
        for (var i = 0; i < Iterations; i++)
        {
            var input = Generate(random, seeds);
            var before = GC.GetAllocatedBytesForCurrentThread();
            outcomes[ParseRequest(input)]++;
            var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            Assert.True(allocated <= AllocationBound + (8L * input.Length), $"input {i} ({input.Length} bytes) allocated {allocated} bytes");
            if (i % 40 == 0)
            {
                await StreamRequestAsync(input, random);
            }
        }
        // The generator must exercise all three ends, or the test proves little.
        Assert.All(outcomes, n => Assert.True(n > 100, $"outcomes {string.Join('/', outcomes)}"));
    }

    [Fact]
    public void Random_and_mutated_responses_never_crash_or_overallocate()
    {
        var random = new Random(3632);
        var seeds = ResponseSeeds();
        var outcomes = new int[3];
        for (var i = 0; i < Iterations; i++)
        {
            var input = Generate(random, seeds);
            var version = random.Next(2) == 0 ? ProtocolVersion.Plain : ProtocolVersion.Lzo;
            var before = GC.GetAllocatedBytesForCurrentThread();
            try
            {
                outcomes[ResponseParser.TryParse(new ReadOnlySequence<byte>(input), version, Limits, out _, out var needed) ? 0 : 1]++;
            }
            catch (ProtocolException)
            {
                outcomes[2]++;
            }
            var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            Assert.True(allocated <= AllocationBound + (8L * input.Length), $"input {i} allocated {allocated} bytes");
        }
        Assert.All(outcomes, n => Assert.True(n > 100, $"outcomes {string.Join('/', outcomes)}"));
    }

    // 0 = parsed, 1 = needs more, 2 = refused.
    private static int ParseRequest(byte[] input)
    {
        try
        {
            if (CompileRequestParser.TryParse(new ReadOnlySequence<byte>(input), Limits, out var request, out var needed))
            {
                // Whatever parsed must re-encode and parse back to the same message.
                var again = MessageWriter.Request(request!);
                Assert.True(CompileRequestParser.TryParse(new ReadOnlySequence<byte>(again), Limits, out var reparsed, out _));
                Assert.Equal(request!.Argv, reparsed!.Argv);
                Assert.True(request.Source.Span.SequenceEqual(reparsed.Source.Span));
                return 0;
            }
            Assert.True(needed > 0);
            return 1;
        }
        catch (ProtocolException e)
        {
            Assert.False(string.IsNullOrWhiteSpace(e.Message));
            return 2;
        }
    }

    // The stream reader over a trickling stream must agree: a message, or a ProtocolException (also for truncation).
    private static async Task StreamRequestAsync(byte[] input, Random random)
    {
        try
        {
            await MessageReader.ReadRequestAsync(new TrickleStream(input, random), Limits, CancellationToken.None);
        }
        catch (ProtocolException)
        {
            // Refused or truncated: both are fine here.
        }
    }

    private static byte[] Generate(Random random, List<byte[]> seeds)
    {
        switch (random.Next(10))
        {
            case 0:
                {
                    var noise = new byte[random.Next(0, 200)];
                    random.NextBytes(noise);
                    return noise;
                }
            case 1:
                {
                    // Noise behind a valid-looking header, to get past the first check.
                    var noise = new byte[random.Next(0, 300)];
                    random.NextBytes(noise);
                    return [.. Encoding.ASCII.GetBytes(random.Next(2) == 0 ? "DIST00000001" : "DIST00000002"), .. noise];
                }
            default:
                return Mutate(random, seeds[random.Next(seeds.Count)]);
        }
    }

    private static byte[] Mutate(Random random, byte[] seed)
    {
        var data = new List<byte>(seed);
        var mutations = random.Next(1, 5);
        for (var m = 0; m < mutations && data.Count > 0; m++)
        {
            var at = random.Next(data.Count);
            switch (random.Next(8))
            {
                case 0:
                    data[at] ^= (byte)(1 << random.Next(8));
                    break;
                case 1:
                    data[at] = (byte)random.Next(256);
                    break;
                case 2:
                    data.RemoveRange(at, Math.Min(data.Count - at, random.Next(1, 16)));
                    break;
                case 3:
                    data.InsertRange(at, Enumerable.Range(0, random.Next(1, 16)).Select(_ => (byte)random.Next(256)));
                    break;
                case 4:
                    data.RemoveRange(at, data.Count - at); // truncation
                    break;
                case 5:
                    // Rewrite a hex digit of some header to another hex digit: lengths that lie.
                    data[at] = (byte)"0123456789abcdef"[random.Next(16)];
                    break;
                case 6:
                    data[at] = 0;
                    break;
                default:
                    data.AddRange(data.GetRange(at, Math.Min(data.Count - at, 32))); // splice a copy of itself
                    break;
            }
        }
        return [.. data];
    }

    private static List<byte[]> RequestSeeds()
    {
        var source = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("int f(int x) { return x * 3 + 1; }\n", 40)));
        return
        [
            Wire.Request(1, ["x86_64-linux-gnu-gcc-12", "-O2", "-c", "a.c", "-o", "a.o"], source),
            Wire.Request(2, ["gcc", "-g", "-Wall", "-c", "b.c", "-o", "b.o"], source),
            Wire.Request(2, ["gcc", "-c", "c.c", "-o", "c.o"], []),
            Wire.Request(1, ["cc"], [1, 2, 3]),
            Wire.Request(2, ["gcc", "-c", "big.c", "-o", "big.o"], new byte[100_000]),
        ];
    }

    private static List<byte[]> ResponseSeeds() =>
    [
        MessageWriter.Response(new CompileResponse(ProtocolVersion.Plain, 0, "warn\n"u8.ToArray(), ReadOnlyMemory<byte>.Empty, new byte[900])),
        MessageWriter.Response(new CompileResponse(ProtocolVersion.Lzo, 0, ReadOnlyMemory<byte>.Empty, "out"u8.ToArray(), Enumerable.Range(0, 2000).Select(i => (byte)i).ToArray())),
        MessageWriter.Response(CompileResponse.Refusal(ProtocolVersion.Plain, "refused: x")),
        MessageWriter.Response(CompileResponse.Refusal(ProtocolVersion.Lzo, "refused: y")),
    ];
}
