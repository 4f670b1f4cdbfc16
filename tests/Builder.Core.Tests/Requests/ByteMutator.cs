using System.Text;

namespace Builder.Core.Tests.Requests;

/// <summary>
/// Deterministic input mutations for fuzz-style tests (seeded, so a failure names a reproducible case): bit flips,
/// byte insertions and deletions, truncation, duplicated and spliced ranges, interesting bytes and whole random inputs.
/// </summary>
internal sealed class ByteMutator(int seed)
{
    private static readonly byte[] Interesting = [0, (byte)'\n', (byte)'\r', (byte)' ', (byte)'\t', (byte)'#', (byte)'@', (byte)'-', (byte)'=',
        (byte)'/', (byte)'+', 0x7f, 0x80, 0xc3, 0xff, (byte)'0', (byte)'9', (byte)'a', (byte)'Z'];

    private static readonly string[] Tokens = ["builder-request", "action", "submit", "cancel", "pocket", "package", "commit", "build",
        "requester", "nonce", "issued", "cancel-any", "ssh-ed25519", "ssh-rsa", "@", "\r\n", "\n", " ", "-----BEGIN SSH SIGNATURE-----",
        "-----END SSH SIGNATURE-----", "AAAA", "=="];

    public Random Random { get; } = new(seed);

    public byte[] Mutate(byte[] input, IReadOnlyList<byte[]> corpus)
    {
        var data = new List<byte>(input);
        var rounds = 1 + Random.Next(4);
        for (var i = 0; i < rounds; i++)
        {
            MutateOnce(data, corpus);
        }
        return [.. data];
    }

    public byte[] RandomBytes(int maxLength)
    {
        var bytes = new byte[Random.Next(maxLength + 1)];
        Random.NextBytes(bytes);
        return bytes;
    }

    /// <summary>Random lines of field-like tokens: closer to the grammar than random bytes.</summary>
    public byte[] RandomTokens(int count)
    {
        var sb = new StringBuilder();
        for (var i = 0; i < count; i++)
        {
            sb.Append(Tokens[Random.Next(Tokens.Length)]);
            sb.Append(Random.Next(3) == 0 ? "\n" : " ");
        }
        return Encoding.UTF8.GetBytes(sb.ToString());
    }

    private void MutateOnce(List<byte> data, IReadOnlyList<byte[]> corpus)
    {
        var at = data.Count == 0 ? 0 : Random.Next(data.Count);
        switch (Random.Next(9))
        {
            case 0 when data.Count > 0:
                data[at] ^= (byte)(1 << Random.Next(8));
                break;
            case 1:
                data.Insert(at, Interesting[Random.Next(Interesting.Length)]);
                break;
            case 2 when data.Count > 0:
                data.RemoveRange(at, Math.Min(data.Count - at, 1 + Random.Next(8)));
                break;
            case 3:
                data.RemoveRange(at, data.Count - at);
                break;
            case 4 when data.Count > 0:
                var length = Math.Min(data.Count - at, 1 + Random.Next(64));
                data.InsertRange(Random.Next(data.Count), data.GetRange(at, length));
                break;
            case 5 when corpus.Count > 0:
                var other = corpus[Random.Next(corpus.Count)];
                var from = Random.Next(other.Length + 1);
                data.InsertRange(at, other.Skip(from).Take(Random.Next(128)));
                break;
            case 6 when data.Count > 0:
                data[at] = Interesting[Random.Next(Interesting.Length)];
                break;
            case 7:
                data.InsertRange(at, Encoding.UTF8.GetBytes(Tokens[Random.Next(Tokens.Length)]));
                break;
            default:
                data.Insert(at, (byte)Random.Next(256));
                break;
        }
    }
}
