using Builder.Core.Debian;

namespace Builder.Core.Tests.Debian;

public sealed class DebianControlTests
{
    private const string Noise = "()[]<>!|,:= \n\t~$a1-";

    private const string Control = """
        # generated comment
        Source: hello
        Section: devel
        Maintainer: Jane Doe <jane@example.org>
        Build-Depends: debhelper-compat (= 13),
                       libc6-dev:native (>= 2.36~) [amd64 arm64],
                       gcc-12 | gcc (>> 4:12) <!nocheck> <stage1 cross>,
                       python3:any,
        Build-Depends-Indep: texinfo [!hurd-i386 !kfreebsd-any] <!nodoc>
        Build-Conflicts: autoconf2.13
        Description: first line
         .
         more

        Package: hello
        Architecture: any
        Build-Depends: this-is-ignored-here
        """;

    [Fact]
    public void Build_relations_of_the_source_stanza_keep_alternatives_versions_architectures_and_profiles()
    {
        var c = DebianControl.ParseSource(Control);
        Assert.Equal("hello", c.Source);
        Assert.Equal(4, c.BuildDepends.Count);

        var dh = Assert.Single(c.BuildDepends[0].Alternatives);
        Assert.Equal("debhelper-compat", dh.Package);
        Assert.Equal(RelationOperator.Exactly, dh.Version!.Operator);
        Assert.Equal("13", dh.Version.Version.Text);

        var libc = Assert.Single(c.BuildDepends[1].Alternatives);
        Assert.Equal("native", libc.ArchQualifier);
        Assert.Equal(RelationOperator.LaterOrEqual, libc.Version!.Operator);
        Assert.Equal([new ArchRestriction(false, "amd64"), new ArchRestriction(false, "arm64")], libc.Architectures);

        Assert.Equal(2, c.BuildDepends[2].Alternatives.Count);
        var gcc = c.BuildDepends[2].Alternatives[1];
        Assert.Equal(RelationOperator.StrictlyLater, gcc.Version!.Operator);
        Assert.Equal(4, gcc.Version.Version.Epoch);
        Assert.Equal(2, gcc.Profiles.Count);
        Assert.Equal([new BuildProfileTerm(true, "nocheck")], gcc.Profiles[0]);
        Assert.Equal([new BuildProfileTerm(false, "stage1"), new BuildProfileTerm(false, "cross")], gcc.Profiles[1]);
        Assert.Equal("gcc-12 | gcc (>> 4:12) <!nocheck> <stage1 cross>", c.BuildDepends[2].ToString());

        Assert.Equal("any", c.BuildDepends[3].Alternatives[0].ArchQualifier);
        var texinfo = Assert.Single(Assert.Single(c.BuildDependsIndep).Alternatives);
        Assert.All(texinfo.Architectures, a => Assert.True(a.Negated));
        Assert.Equal("autoconf2.13", Assert.Single(c.BuildConflicts).Alternatives[0].Package);
        Assert.Empty(c.BuildDependsArch);
    }

    [Fact]
    public void Version_constraints_are_checked_with_dpkg_ordering()
    {
        var constraint = new VersionConstraint(RelationOperator.LaterOrEqual, DebianVersion.Parse("2.36~"));
        Assert.True(constraint.IsSatisfiedBy(DebianVersion.Parse("2.36~rc1")));
        Assert.False(constraint.IsSatisfiedBy(DebianVersion.Parse("2.35")));
    }

    [Theory]
    [InlineData("Source: hello\nBuild-Depends: foo (< 1.0)\n", 2, "Build-Depends: 'foo (< 1.0)': the obsolete operator '<' is ambiguous; use '<<' or '<='")]
    [InlineData("Source: hello\nBuild-Depends: foo (>= )\n", 2, "Build-Depends: 'foo (>= )': missing version")]
    [InlineData("Source: hello\nBuild-Depends: foo (>= 1.0\n", 2, "Build-Depends: 'foo (>= 1.0': expected ')' after the version")]
    [InlineData("Source: hello\nBuild-Depends: foo [amd64 !i386]\n", 2, "Build-Depends: 'foo [amd64 !i386]': an architecture list is either all negated (!arch) or none")]
    [InlineData("Source: hello\nBuild-Depends: aa,\n bb | | cc\n", 2, "Build-Depends: empty alternative in 'bb | | cc'")]
    [InlineData("Source: hello\nBuild-Depends: ${misc:Depends}\n", 2, "Build-Depends: '${misc:Depends}': expected a package name (lowercase letters, digits, + - ., at least two characters)")]
    [InlineData("Source: hello\nBuild-Depends: foo <>\n", 2, "Build-Depends: 'foo <>': empty build profile list")]
    [InlineData("Source: hello\nBuild-Depends: foo <nocheck\n", 2, "Build-Depends: 'foo <nocheck': missing '>'")]
    [InlineData("Source: hello\nSource: again\n", 2, "field Source appears twice in the stanza")]
    [InlineData("Source: hello\nnot a field\n", 2, "expected 'Field: value', found 'not a field'")]
    [InlineData(" continued\n", 1, "continuation line before any field")]
    [InlineData("Maintainer: x\n", 1, "the first stanza has no Source field")]
    [InlineData("Source: Hello\n", 1, "Source: invalid source package name 'Hello'")]
    public void Malformed_control_files_are_refused_naming_the_line_and_field(string text, int line, string problem)
    {
        var ex = Assert.Throws<DebianFormatException>(() => DebianControl.ParseSource(text));
        Assert.Equal(line, ex.Line);
        Assert.Equal(problem, ex.Problem);
        Assert.Equal($"debian/control line {line}: {problem}", ex.Message);
    }

    [Fact]
    public void Mutated_control_files_either_parse_or_fail_with_a_format_error()
    {
        var random = new Random(7);
        var parsed = 0;
        for (var i = 0; i < 5000; i++)
        {
            var chars = Control.ToCharArray();
            for (var k = random.Next(1, 5); k > 0; k--)
            {
                chars[random.Next(chars.Length)] = Noise[random.Next(Noise.Length)];
            }
            try
            {
                var c = DebianControl.ParseSource(new string(chars));
                Assert.All(c.BuildDepends, r => Assert.NotEmpty(r.Alternatives));
                parsed++;
            }
            catch (DebianFormatException ex)
            {
                Assert.StartsWith("debian/control", ex.Message, StringComparison.Ordinal);
            }
        }
        Assert.InRange(parsed, 1, 4999);
    }

    [Fact]
    public void A_huge_control_file_is_refused_by_size()
    {
        var ex = Assert.Throws<DebianFormatException>(() => DebianControl.ParseSource("Source: hello\n" + new string('#', DebianControl.MaxBytes)));
        Assert.Equal($"larger than {DebianControl.MaxBytes} bytes", ex.Problem);
    }
}
