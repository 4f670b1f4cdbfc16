using Builder.Sources.Packaging;

namespace Builder.Sources.Tests.Packaging;

public sealed class DscChecksumsTests
{
    private const string Sha = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    [Fact]
    public void The_checksums_field_lists_each_file_with_size_and_sha256()
    {
        var dsc = $"Format: 3.0 (quilt)\nSource: hello\nChecksums-Sha256:\n {Sha} 10 hello_1.0.orig.tar.gz\n {Sha} 20 hello_1.0-1.debian.tar.xz\nFiles:\n x\n";
        Assert.Equal(
            [(Sha, 10L, "hello_1.0.orig.tar.gz"), (Sha, 20L, "hello_1.0-1.debian.tar.xz")],
            SourcePackageBuilder.DscChecksums(dsc, "hello_1.0-1.dsc"));
    }

    [Theory]
    [InlineData(" {0} 10 ../etc/passwd", "hello.dsc line 3: malformed Checksums-Sha256 entry")]
    [InlineData(" {0} 10 sub/file", "hello.dsc line 3: malformed Checksums-Sha256 entry")]
    [InlineData(" {0} -1 file", "hello.dsc line 3: malformed Checksums-Sha256 entry")]
    [InlineData(" ABC 10 file", "hello.dsc line 3: malformed Checksums-Sha256 entry")]
    [InlineData(" {0} 10 ..", "hello.dsc line 3: malformed Checksums-Sha256 entry")]
    [InlineData("Files:", "hello.dsc lists no files")]
    public void Entries_that_could_name_a_path_outside_the_output_are_refused(string line, string message)
    {
        var dsc = $"Source: hello\nChecksums-Sha256:\n{string.Format(System.Globalization.CultureInfo.InvariantCulture, line, Sha)}\n";
        var ex = Assert.Throws<SourceException>(() => SourcePackageBuilder.DscChecksums(dsc, "hello.dsc"));
        Assert.Equal(message, ex.Message);
    }

    [Fact]
    public void A_dsc_without_the_field_is_refused()
    {
        var ex = Assert.Throws<SourceException>(() => SourcePackageBuilder.DscChecksums("Source: hello\n", "hello.dsc"));
        Assert.Equal("hello.dsc has no Checksums-Sha256 field", ex.Message);
    }
}
