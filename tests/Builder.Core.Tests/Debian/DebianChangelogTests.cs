using Builder.Core.Debian;

namespace Builder.Core.Tests.Debian;

public sealed class DebianChangelogTests
{
    private const string Noise = "( );:<>@-~\n\r\t\0a1 ,=";

    private const string Valid = """
        hello (1:2.10-3) unstable experimental; urgency=medium

          * Fix the greeting.
            Second line of the item.

          * Another change.

         -- Jane Doe <jane@example.org>  Mon, 23 Nov 2026 10:00:00 +0100

        hello (2.10-2) unstable; urgency=low

          * Older.

         -- Jane Doe <jane@example.org>  Sun, 22 Nov 2026 10:00:00 +0000

        """;

    [Fact]
    public void The_first_entry_gives_source_version_distributions_urgency_maintainer_and_date()
    {
        var e = DebianChangelog.ParseFirstEntry(Valid);
        Assert.Equal("hello", e.Source);
        Assert.Equal("1:2.10-3", e.Version.Text);
        Assert.Equal(["unstable", "experimental"], e.Distributions);
        Assert.Equal("medium", e.Urgency);
        Assert.Equal("Jane Doe <jane@example.org>", e.Maintainer);
        Assert.Equal(new DateTimeOffset(2026, 11, 23, 10, 0, 0, TimeSpan.FromHours(1)), e.Date);
    }

    [Fact]
    public void Unreleased_distribution_and_extra_options_are_accepted()
    {
        var e = DebianChangelog.ParseFirstEntry(Valid.Replace("unstable experimental; urgency=medium", "UNRELEASED; urgency=high, binary-only=yes", StringComparison.Ordinal));
        Assert.Equal(["UNRELEASED"], e.Distributions);
        Assert.Equal("high", e.Urgency);
    }

    [Theory]
    [InlineData("", 0, "the file is empty")]
    [InlineData("hello 2.10-3 unstable; urgency=medium\n", 1, "expected 'source (version) distribution; urgency=...', found 'hello 2.10-3 unstable; urgency=medium'")]
    [InlineData("\n\nhello (2.10-3) unstable\n", 3, "expected 'source (version) distribution; urgency=...', found 'hello (2.10-3) unstable'")]
    [InlineData("hello (a2.10) unstable; urgency=medium\n", 1, "invalid version 'a2.10': version number does not start with digit")]
    [InlineData("hello (2.10-3) unstable; urgency=whenever\n", 1, "unknown urgency 'whenever' (expected one of low, medium, high, emergency, critical)")]
    [InlineData("hello (2.10-3) unstable; priority=high\n", 1, "the header has no urgency=... option")]
    [InlineData("hello (2.10-3) unstable; urgency=low\n\n  * x\n", 3, "the first entry has no ' -- Name <email>  date' trailer line")]
    [InlineData("hello (2.10-3) unstable; urgency=low\n\n -- J <j@x.org>  Mon, 23 Nov 2026 10:00:00 +0000\n", 3, "the entry has no change lines before its trailer")]
    [InlineData("hello (2.10-3) unstable; urgency=low\n\n  * x\nnot indented\n", 4, "expected a change line indented by two spaces or the ' -- ' trailer, found 'not indented'")]
    [InlineData("hello (2.10-3) unstable; urgency=low\n\n  * x\n -- J <j@x.org> Mon, 23 Nov 2026 10:00:00 +0000\n", 4, "expected ' -- Name <email>  date' (two spaces before the date), found ' -- J <j@x.org> Mon, 23 Nov 2026 10:00:00 +0000'")]
    [InlineData("hello (2.10-3) unstable; urgency=low\n\n  * x\n -- J <j@x.org>  23 Nov 2026\n", 4, "expected an RFC 5322 date like 'Mon, 23 Nov 2026 10:00:00 +0000', found '23 Nov 2026'")]
    [InlineData("hello (2.10-3) unstable; urgency=low\n\n  * x\n -- J <j@x.org>  Tue, 23 Nov 2026 10:00:00 +0000\n", 4, "the date 'Tue, 23 Nov 2026 10:00:00 +0000' is a Monday, not Tue")]
    [InlineData("hello (2.10-3) unstable; urgency=low\n\n  * x\n -- J <j@x.org>  Mon, 31 Nov 2026 10:00:00 +0000\n", 4, "the date 'Mon, 31 Nov 2026 10:00:00 +0000' does not exist")]
    [InlineData("hello (2.10-3) unstable; urgency=low\n\n  * x\0\n", 3, "control character U+0000 in line")]
    public void Malformed_changelogs_are_refused_naming_the_line(string text, int line, string problem)
    {
        var ex = Assert.Throws<DebianFormatException>(() => DebianChangelog.ParseFirstEntry(text));
        Assert.Equal(line, ex.Line);
        Assert.Equal(problem, ex.Problem);
        Assert.Equal(line > 0 ? $"debian/changelog line {line}: {problem}" : $"debian/changelog: {problem}", ex.Message);
    }

    [Fact]
    public void A_first_entry_that_does_not_end_within_the_limit_is_refused()
    {
        var text = "hello (1.0) unstable; urgency=low\n\n" + string.Concat(Enumerable.Repeat("  * padding line\n", DebianChangelog.MaxFirstEntryBytes / 17 + 10));
        var ex = Assert.Throws<DebianFormatException>(() => DebianChangelog.ParseFirstEntry(text));
        Assert.Equal($"the first entry does not end within {DebianChangelog.MaxFirstEntryBytes} bytes", ex.Problem);
    }

    [Fact]
    public void Overlong_lines_are_refused()
    {
        var ex = Assert.Throws<DebianFormatException>(() => DebianChangelog.ParseFirstEntry("hello (1.0) unstable; urgency=low\n\n  * " + new string('x', 5000) + "\n"));
        Assert.Equal(3, ex.Line);
        Assert.Equal($"line is longer than {DebianChangelog.MaxLineLength} characters", ex.Problem);
    }

    [Fact]
    public void Mutated_changelogs_either_parse_or_fail_with_a_located_format_error()
    {
        var random = new Random(42);
        var parsed = 0;
        for (var i = 0; i < 5000; i++)
        {
            var chars = Valid.ToCharArray();
            var edits = random.Next(1, 4);
            for (var k = 0; k < edits; k++)
            {
                chars[random.Next(chars.Length)] = Noise[random.Next(Noise.Length)];
            }
            var text = new string(chars);
            if (random.Next(4) == 0)
            {
                text = text[..random.Next(text.Length)];
            }
            try
            {
                var e = DebianChangelog.ParseFirstEntry(text);
                Assert.True(e.Source.Length >= 2);
                parsed++;
            }
            catch (DebianFormatException ex)
            {
                Assert.StartsWith("debian/changelog", ex.Message, StringComparison.Ordinal);
            }
        }
        // Mutations away from the first entry keep it valid: both paths were exercised.
        Assert.InRange(parsed, 1, 4999);
    }
}
