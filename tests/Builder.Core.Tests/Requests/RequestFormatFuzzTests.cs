using System.Text;
using Builder.Core.Requests;

namespace Builder.Core.Tests.Requests;

/// <summary>Fuzz-style: many random and mutated inputs; only RequestFormatException, and only canonical text accepted.</summary>
public sealed class RequestFormatFuzzTests
{
    private const int Seed = 20261122;
    private const int Cases = 12_000;

    private static readonly List<byte[]> Corpus =
    [
        Encoding.UTF8.GetBytes(RequestFormat.Serialize(new BuildRequest(RequestAction.Submit, "dev", "hello", null, null, "alice",
            RequestFormat.NewNonce(), new DateTimeOffset(2026, 11, 22, 17, 30, 0, TimeSpan.Zero)))),
        Encoding.UTF8.GetBytes(RequestFormat.Serialize(new BuildRequest(RequestAction.Submit, "prod-2", "libfoo+x.y", new string('a', 40), null,
            "_bot", RequestFormat.NewNonce(), new DateTimeOffset(2030, 1, 31, 23, 59, 59, TimeSpan.Zero)))),
        Encoding.UTF8.GetBytes(RequestFormat.Serialize(new BuildRequest(RequestAction.Cancel, "dev", null, null, 9_223_372_036_854_775_807,
            "bob", RequestFormat.NewNonce(), new DateTimeOffset(2026, 2, 28, 0, 0, 0, TimeSpan.Zero)))),
    ];

    [Fact]
    public void Random_and_mutated_requests_only_raise_RequestFormatException_and_accept_only_canonical_text()
    {
        var mutator = new ByteMutator(Seed);
        var accepted = 0;
        for (var i = 0; i < Cases; i++)
        {
            var input = (i % 10) switch
            {
                0 => mutator.RandomBytes(300),
                1 => mutator.RandomTokens(1 + mutator.Random.Next(30)),
                2 => mutator.RandomBytes(RequestFormat.MaxBytes + 10),
                _ => mutator.Mutate(Corpus[mutator.Random.Next(Corpus.Count)], Corpus),
            };
            var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
            try
            {
                var request = RequestFormat.Parse(input);
                accepted++;
                Assert.True(Encoding.UTF8.GetBytes(RequestFormat.Serialize(request)).AsSpan().SequenceEqual(input),
                    $"case {i} (seed {Seed}) accepted non-canonical input: {Convert.ToBase64String(input)}");
            }
            catch (RequestFormatException e)
            {
                Assert.False(string.IsNullOrWhiteSpace(e.Message), $"case {i}: empty message");
                Assert.True(e.Line is null or >= 1, $"case {i}: line {e.Line}");
                Assert.DoesNotContain('\n', e.Message);
                Assert.DoesNotContain('\r', e.Message);
            }
            catch (Exception e)
            {
                Assert.Fail($"case {i} (seed {Seed}) threw {e.GetType().Name}: {e.Message}; input {Convert.ToBase64String(input)}");
            }
            // Bounded memory: a request never costs more than a small multiple of the 4 KiB cap.
            var allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
            Assert.True(allocated < 256 * 1024, $"case {i} allocated {allocated} bytes");
        }
        Assert.InRange(accepted, 1, Cases - 1);
    }
}
