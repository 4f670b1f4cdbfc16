using Builder.Core.Debian;

namespace Builder.Core.Tests.Debian;

public sealed class DebianControlBinaryTests
{
    private const string Control = """
        Source: zlib
        Maintainer: Jane Doe <jane@example.org>
        Build-Depends: debhelper-compat (= 13)

        # the library
        Package: zlib1g
        Architecture: any
        Multi-Arch: same
        Description: compression library
         long text

        Package: zlib1g-dev
        Architecture: linux-any  any-arm64
         hurd-i386
        Description: headers

        Package: zlib1g-udeb
        Package-Type: udeb
        Architecture: amd64 arm64
        Section: debian-installer

        Package: zlib-doc
        Architecture: all
        Package-Type: deb
        """;

    [Fact]
    public void Every_binary_stanza_is_parsed_with_its_architectures_package_type_and_line()
    {
        var c = DebianControl.ParseSource(Control);

        Assert.Equal("zlib", c.Source);
        Assert.Equal(
            [
                new BinaryControl("zlib1g", ["any"], "deb", 6),
                new BinaryControl("zlib1g-dev", ["linux-any", "any-arm64", "hurd-i386"], "deb", 12),
                new BinaryControl("zlib1g-udeb", ["amd64", "arm64"], "udeb", 17),
                new BinaryControl("zlib-doc", ["all"], "deb", 22),
            ],
            c.Binaries,
            (a, b) => a.Package == b.Package && a.Architectures.SequenceEqual(b.Architectures) && a.PackageType == b.PackageType && a.Line == b.Line);
    }

    [Fact]
    public void Architecture_all_packages_are_independent_and_built_for_no_concrete_architecture()
    {
        var c = DebianControl.ParseSource(Control);
        var doc = c.Binaries.Single(b => b.Package == "zlib-doc");
        var dev = c.Binaries.Single(b => b.Package == "zlib1g-dev");
        var udeb = c.Binaries.Single(b => b.Package == "zlib1g-udeb");

        Assert.True(doc.IsArchitectureIndependent);
        Assert.False(doc.IsBuiltFor("amd64"));
        Assert.True(dev.IsBuiltFor("amd64"));
        Assert.True(dev.IsBuiltFor("hurd-i386"));
        Assert.False(dev.IsBuiltFor("kfreebsd-amd64"));
        Assert.True(udeb.IsBuiltFor("arm64"));
        Assert.False(udeb.IsBuiltFor("armhf"));
    }

    [Fact]
    public void A_source_stanza_alone_has_no_binaries()
    {
        Assert.Empty(DebianControl.ParseSource("Source: hello\n\n\n# trailing comment\n").Binaries);
    }

    [Theory]
    [InlineData("Source: s1\n\nDescription: x\n", 3, "the binary stanza has no Package field")]
    [InlineData("Source: s1\n\nPackage: p1\nDescription: x\n", 3, "binary package 'p1' has no Architecture field")]
    [InlineData("Source: s1\n\nPackage: P1\nArchitecture: all\n", 3,
        "Package: invalid binary package name 'P1' (lowercase letters, digits, + - ., 2 to 64 characters, starting alphanumeric)")]
    [InlineData("Source: s1\n\nPackage: p\nArchitecture: all\n", 3,
        "Package: invalid binary package name 'p' (lowercase letters, digits, + - ., 2 to 64 characters, starting alphanumeric)")]
    [InlineData("Source: s1\n\nPackage: -p1\nArchitecture: all\n", 3,
        "Package: invalid binary package name '-p1' (lowercase letters, digits, + - ., 2 to 64 characters, starting alphanumeric)")]
    [InlineData("Source: s1\n\nPackage: p1_x\nArchitecture: all\n", 3,
        "Package: invalid binary package name 'p1_x' (lowercase letters, digits, + - ., 2 to 64 characters, starting alphanumeric)")]
    [InlineData("Source: s1\n\nPackage: p1\nArchitecture:\n", 4, "Architecture: empty")]
    [InlineData("Source: s1\n\nPackage: p1\nArchitecture: all amd64\n", 4, "Architecture: 'all' must stand alone")]
    [InlineData("Source: s1\n\nPackage: p1\nArchitecture: any\n all\n", 4, "Architecture: 'all' must stand alone")]
    [InlineData("Source: s1\n\nPackage: p1\nArchitecture: AMD64\n", 4, "Architecture: invalid architecture 'AMD64'")]
    [InlineData("Source: s1\n\nPackage: p1\nArchitecture: amd64 [i386]\n", 4, "Architecture: invalid architecture '[i386]'")]
    [InlineData("Source: s1\n\nPackage: p1\nArchitecture: linux-\n", 4, "Architecture: invalid architecture 'linux-'")]
    [InlineData("Source: s1\n\nPackage: p1\nArchitecture: all\nPackage-Type: ddeb\n", 5, "Package-Type: expected 'deb' or 'udeb', found 'ddeb'")]
    [InlineData("Source: s1\n\nPackage: p1\nArchitecture: all\nPackage-Type: UDEB\n", 5, "Package-Type: expected 'deb' or 'udeb', found 'UDEB'")]
    [InlineData("Source: s1\n\nPackage: p1\nArchitecture: all\n\nPackage: p2\nArchitecture: any\n\nPackage: p1\nArchitecture: any\n", 9,
        "Package: 'p1' is declared twice (first at line 3)")]
    [InlineData("Source: s1\n\nPackage: p1-dbgsym\nArchitecture: any\n\nPackage: p1\nArchitecture: any\n", 3,
        "Package: 'p1-dbgsym' is the name of the automatic debug-symbols package of 'p1' (line 6)")]
    [InlineData("Source: s1\n\nPackage: p1\nArchitecture: any\npackage: p2\n", 5, "field package appears twice in the stanza")]
    [InlineData("Source: s1\n\nPackage: p1\nArchitecture: any\nno colon here\n", 5, "expected 'Field: value', found 'no colon here'")]
    [InlineData("Source: s1\n\nPackage: p1\n\n continued\n", 5, "continuation line before any field")]
    public void Malformed_binary_stanzas_are_refused_naming_the_line(string text, int line, string problem)
    {
        var ex = Assert.Throws<DebianFormatException>(() => DebianControl.ParseSource(text));

        Assert.Equal(problem, ex.Problem);
        Assert.Equal(line, ex.Line);
        Assert.Equal($"debian/control line {line}: {problem}", ex.Message);
    }

    [Fact]
    public void A_name_of_64_characters_is_accepted_and_one_of_65_refused()
    {
        var ok = new string('a', 64);
        Assert.Equal(ok, Assert.Single(DebianControl.ParseSource($"Source: s1\n\nPackage: {ok}\nArchitecture: all\n").Binaries).Package);

        var ex = Assert.Throws<DebianFormatException>(() => DebianControl.ParseSource($"Source: s1\n\nPackage: {ok}a\nArchitecture: all\n"));
        Assert.StartsWith("Package: invalid binary package name", ex.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void A_dbgsym_name_without_its_parent_is_an_ordinary_package()
    {
        var c = DebianControl.ParseSource("Source: s1\n\nPackage: other-dbgsym\nArchitecture: any\n");

        Assert.Equal("other-dbgsym", Assert.Single(c.Binaries).Package);
    }

    [Fact]
    public void More_stanzas_than_the_cap_are_refused_at_the_first_one_too_many()
    {
        var text = "Source: s1\n" + string.Concat(Enumerable.Range(1, DebianControl.MaxStanzas).Select(i => $"\nPackage: p{i}\nArchitecture: all\n"));

        var ex = Assert.Throws<DebianFormatException>(() => DebianControl.ParseSource(text));

        Assert.Equal($"more than {DebianControl.MaxStanzas} stanzas", ex.Problem);
        Assert.Equal(3 * DebianControl.MaxStanzas, ex.Line);
    }

    [Fact]
    public void Stanzas_up_to_the_cap_are_accepted()
    {
        var text = "Source: s1\n" + string.Concat(Enumerable.Range(1, DebianControl.MaxStanzas - 1).Select(i => $"\nPackage: p{i}\nArchitecture: all\n"));

        Assert.Equal(DebianControl.MaxStanzas - 1, DebianControl.ParseSource(text).Binaries.Count);
    }

    [Fact]
    public void Errors_in_the_source_stanza_are_reported_before_those_of_binaries()
    {
        var ex = Assert.Throws<DebianFormatException>(() => DebianControl.ParseSource("Source: S1\n\nPackage: p1\n"));

        Assert.Equal("debian/control line 1: Source: invalid source package name 'S1'", ex.Message);
    }
}
