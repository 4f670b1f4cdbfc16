using Builder.Core.Debian;

namespace Builder.Core.Tests.Debian;

public sealed class DebianArchitectureTests
{
    [Theory]
    [InlineData("amd64", "any", true)]
    [InlineData("amd64", "amd64", true)]
    [InlineData("amd64", "arm64", false)]
    [InlineData("amd64", "linux-any", true)]
    [InlineData("amd64", "any-amd64", true)]
    [InlineData("amd64", "any-i386", false)]
    [InlineData("amd64", "hurd-any", false)]
    [InlineData("amd64", "gnu-any-any", true)]
    [InlineData("amd64", "base-gnu-linux-any", true)]
    [InlineData("amd64", "base-gnu-linux-amd64", false)]
    [InlineData("amd64", "musl-linux-any", false)]
    [InlineData("amd64", "all", false)]
    [InlineData("arm64", "linux-any", true)]
    [InlineData("arm64", "any-arm64", true)]
    [InlineData("arm64", "any-arm", false)]
    [InlineData("armhf", "any-arm", true)]
    [InlineData("armel", "any-arm", true)]
    [InlineData("armhf", "linux-any", true)]
    [InlineData("armhf", "eabihf-any-any-any", true)]
    [InlineData("armel", "eabihf-any-any-any", false)]
    [InlineData("i386", "any-i386", true)]
    [InlineData("i386", "linux-any", true)]
    [InlineData("i386", "kfreebsd-any", false)]
    [InlineData("ppc64el", "any-ppc64el", true)]
    [InlineData("ppc64el", "any-ppc64", false)]
    [InlineData("s390x", "linux-any", true)]
    [InlineData("s390x", "any-s390x", true)]
    [InlineData("riscv64", "any-riscv64", true)]
    [InlineData("riscv64", "linux-any", true)]
    [InlineData("mips64el", "any-mips64el", true)]
    [InlineData("mips64el", "linux-any", true)]
    [InlineData("x32", "any-amd64", true)]
    [InlineData("x32", "amd64", false)]
    [InlineData("hurd-i386", "hurd-any", true)]
    [InlineData("hurd-i386", "any-i386", true)]
    [InlineData("hurd-i386", "linux-any", false)]
    [InlineData("hurd-i386", "i386", false)]
    [InlineData("kfreebsd-amd64", "kfreebsd-any", true)]
    [InlineData("kfreebsd-amd64", "any-amd64", true)]
    [InlineData("kfreebsd-amd64", "linux-any", false)]
    [InlineData("musl-linux-amd64", "musl-linux-any", true)]
    [InlineData("musl-linux-amd64", "linux-any", true)]
    [InlineData("musl-linux-amd64", "gnu-any-any", false)]
    [InlineData("frobnicator", "linux-any", false)]
    [InlineData("frobnicator", "frobnicator", true)]
    [InlineData("frobnicator", "any", true)]
    [InlineData("amd64", "linux-frobnicator", false)]
    public void Wildcards_match_like_dpkg(string build, string wildcard, bool matches)
    {
        Assert.Equal(matches, DebianArchitecture.Matches(build, wildcard));
    }

    [Theory]
    [InlineData("amd64", true)]
    [InlineData("linux-any", true)]
    [InlineData("all", true)]
    [InlineData("Amd64", false)]
    [InlineData("-amd64", false)]
    [InlineData("amd64-", false)]
    [InlineData("amd_64", false)]
    [InlineData("", false)]
    public void Architecture_names_are_lowercase_words_with_inner_hyphens(string word, bool valid)
    {
        Assert.Equal(valid, DebianArchitecture.IsValidName(word));
    }
}
