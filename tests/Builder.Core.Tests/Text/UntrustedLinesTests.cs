using Builder.Core.Text;

namespace Builder.Core.Tests.Text;

public sealed class UntrustedLinesTests
{
    [Theory]
    [InlineData("one line", "one line")]
    [InlineData("E: first\r\n\nE: second\n", "E: first | E: second")]
    [InlineData("ok\n[2026-01-01T00:00:00Z] builder: published\u202E", "ok | [2026-01-01T00:00:00Z] builder: published?")]
    public void Text_over_several_lines_becomes_one_clean_line(string input, string expected)
    {
        Assert.Equal(expected, UntrustedLines.Join(input));
    }
}
