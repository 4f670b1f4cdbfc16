using Builder.Core.Text;

namespace Builder.Core.Tests.Text;

public sealed class UntrustedTextTests
{
    [Theory]
    [InlineData("plain ascii, tabs\tstay", "plain ascii, tabs\tstay")]
    [InlineData("ünïcödé letters and 漢字 stay", "ünïcödé letters and 漢字 stay")]
    [InlineData("\u001b[2J\u001b]0;title\u0007cleared", "?[2J?]0;title?cleared")]
    [InlineData("over\rwrite", "over?write")]
    [InlineData("line\nbreak", "line?break")]
    [InlineData("exe.\u202Efdp", "exe.?fdp")]
    [InlineData("\u2066isolate\u2069 \u200Dzwj \uFEFFbom \u00ADshy", "?isolate? ?zwj ?bom ?shy")]
    [InlineData("sep\u2028line\u2029para\u0085nel", "sep?line?para?nel")]
    [InlineData("private \uE000 use", "private ? use")]
    [InlineData("\u0000nul", "?nul")]
    public void Unsafe_characters_are_replaced_and_the_rest_stays(string input, string expected)
    {
        Assert.Equal(expected, UntrustedText.Clean(input));
        Assert.True(UntrustedText.IsClean(UntrustedText.Clean(input)));
    }

    [Fact]
    public void Astral_characters_stay_but_astral_private_use_and_tags_are_replaced()
    {
        Assert.Equal("emoji 😀 ok", UntrustedText.Clean("emoji 😀 ok"));
        // U+E0041 (TAG LATIN CAPITAL LETTER A, a format character) and U+F0000 (supplementary private use).
        Assert.Equal("a?b?c", UntrustedText.Clean("a\U000E0041b\U000F0000c"));
    }

    [Fact]
    public void Lone_surrogates_are_replaced()
    {
        // Built in code: xunit's serialization of theory data would not keep a lone surrogate.
        var input = "lone " + (char)0xD800 + " high, lone " + (char)0xDC00 + " low, reversed " + (char)0xDC00 + (char)0xD800;
        Assert.Equal("lone ? high, lone ? low, reversed ??", UntrustedText.Clean(input));
    }

    [Fact]
    public void Clean_text_is_returned_as_it_is()
    {
        const string text = "nothing to replace here";
        Assert.Same(text, UntrustedText.Clean(text));
    }

    [Fact]
    public void CleanCut_cuts_and_marks_the_cut()
    {
        Assert.Equal("ab?…", UntrustedText.CleanCut("ab\u202Edef", 3));
        Assert.Equal("abc", UntrustedText.CleanCut("abc", 3));
    }

    [Fact]
    public void Random_strings_always_come_out_clean_and_of_at_most_the_same_length()
    {
        var random = new Random(14);
        for (var n = 0; n < 2000; n++)
        {
            var chars = new char[random.Next(0, 64)];
            for (var i = 0; i < chars.Length; i++)
            {
                chars[i] = (char)random.Next(0, 0x10000);
            }
            var input = new string(chars);
            var cleaned = UntrustedText.Clean(input);
            Assert.True(UntrustedText.IsClean(cleaned), $"not clean: {string.Join(' ', cleaned.Select(c => ((int)c).ToString("x4")))}");
            Assert.True(cleaned.Length <= input.Length);
        }
    }
}
