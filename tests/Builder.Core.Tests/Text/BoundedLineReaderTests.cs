using Builder.Core.Text;

namespace Builder.Core.Tests.Text;

public sealed class BoundedLineReaderTests
{
    private static async Task<List<string>> ReadAllAsync(string input, int max)
    {
        var reader = new BoundedLineReader(new StringReader(input), max);
        var lines = new List<string>();
        while (await reader.ReadLineAsync(CancellationToken.None) is { } line)
        {
            lines.Add(line);
        }
        return lines;
    }

    [Fact]
    public async Task Lines_end_at_newlines_and_crlf_and_the_last_line_needs_none()
    {
        Assert.Equal(["one", "two", "", "three"], await ReadAllAsync("one\ntwo\r\n\nthree", 100));
    }

    [Fact]
    public async Task A_line_longer_than_the_limit_comes_in_pieces()
    {
        var lines = await ReadAllAsync(new string('z', 25_000) + "\nafter\n", 10_000);

        Assert.Equal([10_000, 10_000, 5_000, 5], lines.Select(l => l.Length));
    }
}
