using Builder.Cli.Audit;

namespace Builder.Cli.Tests.Audit;

public sealed class AuditDurationTests
{
    [Theory]
    [InlineData("90s", 0, 1, 30)]
    [InlineData("90m", 0, 90, 0)]
    [InlineData("2h", 2, 0, 0)]
    [InlineData("1d", 24, 0, 0)]
    [InlineData("02:00:00", 2, 0, 0)]
    [InlineData("1.02:03:04", 26, 3, 4)]
    [InlineData("366d", 8784, 0, 0)]
    public void The_documented_forms_parse(string value, int hours, int minutes, int seconds)
    {
        Assert.True(AuditDuration.TryParse(value, out var d));
        Assert.Equal(new TimeSpan(hours, minutes, seconds), d);
    }

    [Theory]
    [InlineData("")]
    [InlineData("h")]
    [InlineData("2")]
    [InlineData("2H")]
    [InlineData("+2h")]
    [InlineData(" 2h")]
    [InlineData("2.5h")]
    [InlineData("0m")]
    [InlineData("00:00:00")]
    [InlineData("-01:00:00")]
    [InlineData("367d")]
    [InlineData("99999999999d")]
    [InlineData("2:00")]
    [InlineData("1h30m")]
    public void Anything_else_is_refused(string value) => Assert.False(AuditDuration.TryParse(value, out _));
}
