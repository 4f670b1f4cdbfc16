using System.Formats.Tar;
using System.IO.Compression;
using Builder.Sources.Packaging;
using Builder.Sources.Tests.Support;
using Builder.Tests.Common;

namespace Builder.Sources.Tests.Packaging;

[Trait(Categories.Name, Categories.Integration)]
public sealed class PackageSourcesTests : IDisposable
{
    private readonly SourcesTestContext _ctx = new();

    public void Dispose() => _ctx.Dispose();

    [Fact]
    public async Task A_native_package_becomes_a_dsc_and_tarball_whose_sha256s_match_sha256sum()
    {
        var pkg = _ctx.NewPackage();
        var commit = pkg.Debian("1.0").Write("hello.c", "int main(void) { return 0; }\n").Commit("1.0");
        pkg.Push();
        var request = _ctx.Request(pkg);

        var prepared = Assert.IsType<PreparedSource>(await _ctx.Sources.PrepareAsync(request, CancellationToken.None));

        Assert.Equal(commit, prepared.CommitId);
        Assert.Equal(SourceFormat.Native, prepared.Package.Format);
        Assert.Equal($"{pkg.Package}_1.0.dsc", prepared.Package.Dsc.Name);
        Assert.Equal([$"{pkg.Package}_1.0.tar.xz"], prepared.Package.Files.Select(f => f.Name));
        foreach (var artifact in prepared.Package.All)
        {
            Assert.Equal(Sha256Sum(artifact.Path), artifact.Sha256);
            Assert.Equal(new FileInfo(artifact.Path).Length, artifact.Size);
        }
        // Only the source package is left in the output: the exported tree is gone.
        Assert.Equal(prepared.Package.All.Select(a => a.Name).Order(), Directory.EnumerateFileSystemEntries(request.OutputDirectory).Select(Path.GetFileName).Order());
        Assert.Equal("debhelper-compat", prepared.Control.BuildDepends.Single().Alternatives.Single().Package);
        Assert.Equal("Jane Doe <jane@example.org>", prepared.Changelog.Maintainer);
    }

    [Fact]
    public async Task A_quilt_package_gets_its_orig_tarball_from_the_upstream_tag()
    {
        var pkg = _ctx.NewPackage();
        var upstream = pkg.Write("hello.c", "int main(void) { return 0; }\n").Write("README", "upstream\n").Commit("upstream 2.10~rc1");
        pkg.Push("upstream").Tag("upstream/2.10_rc1", upstream);
        pkg.Debian("2.10~rc1-1", "3.0 (quilt)").Commit("packaging");
        pkg.Push();
        var request = _ctx.Request(pkg);

        var prepared = Assert.IsType<PreparedSource>(await _ctx.Sources.PrepareAsync(request, CancellationToken.None));

        Assert.Equal(SourceFormat.Quilt, prepared.Package.Format);
        Assert.Equal(
            [$"{pkg.Package}_2.10~rc1-1.debian.tar.xz", $"{pkg.Package}_2.10~rc1.orig.tar.gz"],
            prepared.Package.Files.Select(f => f.Name).Order(StringComparer.Ordinal));
        var orig = prepared.Package.Files.Single(f => f.Name.EndsWith(".orig.tar.gz", StringComparison.Ordinal));
        Assert.Equal(["README", "hello.c"], TarFiles(orig.Path).Select(n => n[(n.IndexOf('/', StringComparison.Ordinal) + 1)..]));
        Assert.All(TarFiles(orig.Path), n => Assert.StartsWith($"{pkg.Package}-2.10~rc1/", n, StringComparison.Ordinal));
        // The dsc is what dpkg-source itself accepts: it unpacks again.
        Extract(prepared.Package.Dsc.Path, Path.Combine(_ctx.Root, "unpacked"));
    }

    [Fact]
    public async Task The_orig_tarball_is_byte_identical_when_the_same_version_is_prepared_again()
    {
        var pkg = _ctx.NewPackage();
        var upstream = pkg.Write("a.txt", "a\n").Commit("upstream");
        pkg.Tag("upstream/3.0", upstream);
        pkg.Debian("3.0-1", "3.0 (quilt)").Commit("packaging");
        pkg.Push();

        var first = Assert.IsType<PreparedSource>(await _ctx.Sources.PrepareAsync(_ctx.Request(pkg), CancellationToken.None));
        var second = Assert.IsType<PreparedSource>(await _ctx.Sources.PrepareAsync(_ctx.Request(pkg), CancellationToken.None));

        Assert.Equal(Orig(first).Sha256, Orig(second).Sha256);
        static SourceArtifact Orig(PreparedSource p) => p.Package.Files.Single(f => f.Name.EndsWith(".orig.tar.gz", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_quilt_package_without_its_upstream_tag_fails_naming_the_tag()
    {
        var pkg = _ctx.NewPackage();
        pkg.Debian("2.10-1", "3.0 (quilt)").Commit("packaging");
        pkg.Push();

        var ex = await Assert.ThrowsAsync<SourceException>(() => _ctx.Sources.PrepareAsync(_ctx.Request(pkg), CancellationToken.None));
        Assert.Equal(
            $"{pkg.Package} 2.10-1 is 3.0 (quilt) but the repository has no tag upstream/2.10 to make the upstream tarball from (git-buildpackage's upstream/<version>)",
            ex.Message);
    }

    [Fact]
    public async Task A_missing_changelog_fails_naming_the_file_and_commit()
    {
        var pkg = _ctx.NewPackage();
        pkg.Debian("1.0").Commit("1.0");
        var commit = pkg.Delete("debian/changelog").Commit("oops");
        pkg.Push();

        var ex = await Assert.ThrowsAsync<SourceException>(() => _ctx.Sources.PrepareAsync(_ctx.Request(pkg), CancellationToken.None));
        Assert.Equal($"{pkg.Package} at {commit[..12]}: debian/changelog is missing", ex.Message);
    }

    [Fact]
    public async Task A_malformed_changelog_fails_naming_the_line()
    {
        var pkg = _ctx.NewPackage();
        var commit = pkg.Debian("1.0").Write("debian/changelog", $"{pkg.Package} (1.0) unstable; urgency=medium\n\n  * x\n\n -- Jane <jane@example.org> yesterday\n").Commit("bad");
        pkg.Push();

        var ex = await Assert.ThrowsAsync<SourceException>(() => _ctx.Sources.PrepareAsync(_ctx.Request(pkg), CancellationToken.None));
        Assert.Equal(
            $"{pkg.Package} at {commit[..12]}: debian/changelog line 5: expected ' -- Name <email>  date' (two spaces before the date), found ' -- Jane <jane@example.org> yesterday'",
            ex.Message);
    }

    [Fact]
    public async Task A_changelog_for_another_source_package_fails()
    {
        var pkg = _ctx.NewPackage();
        var commit = pkg.Debian("1.0").Write("debian/changelog", PackageRepository.Changelog("other", "1.0")).Commit("wrong name");
        pkg.Push();

        var ex = await Assert.ThrowsAsync<SourceException>(() => _ctx.Sources.PrepareAsync(_ctx.Request(pkg), CancellationToken.None));
        Assert.Equal($"{pkg.Package} at {commit[..12]}: debian/changelog is for source package 'other', not '{pkg.Package}'", ex.Message);
    }

    [Theory]
    [InlineData("1.0", "debian/source/format says '1.0'; Builder builds '3.0 (native)' and '3.0 (quilt)' packages")]
    [InlineData(null, "debian/source/format is missing")]
    public async Task Source_formats_other_than_3_0_native_and_quilt_fail(string? format, string message)
    {
        var pkg = _ctx.NewPackage();
        pkg.Debian("1.0");
        if (format is null)
        {
            File.Delete(Path.Combine(pkg.Work, "debian/source/format"));
        }
        else
        {
            pkg.Write("debian/source/format", format + "\n");
        }
        var commit = pkg.Commit("format");
        pkg.Push();

        var ex = await Assert.ThrowsAsync<SourceException>(() => _ctx.Sources.PrepareAsync(_ctx.Request(pkg), CancellationToken.None));
        Assert.Equal($"{pkg.Package} at {commit[..12]}: {message}", ex.Message);
    }

    [Fact]
    public async Task A_dpkg_source_failure_keeps_its_exit_status_and_stderr()
    {
        var pkg = _ctx.NewPackage();
        var upstream = pkg.Write("hello.c", "int main(void) { return 0; }\n").Commit("upstream");
        pkg.Tag("upstream/1.0", upstream);
        // A change to upstream files outside debian/patches: dpkg-source refuses to build 3.0 (quilt) from it.
        pkg.Debian("1.0-1", "3.0 (quilt)").Write("hello.c", "int main(void) { return 1; }\n").Commit("unpatched change");
        pkg.Push();

        var ex = await Assert.ThrowsAsync<SourceException>(() => _ctx.Sources.PrepareAsync(_ctx.Request(pkg), CancellationToken.None));
        Assert.StartsWith("dpkg-source --build failed with exit status ", ex.Message, StringComparison.Ordinal);
        Assert.Contains("hello.c", ex.Message, StringComparison.Ordinal);
    }

    private static string Sha256Sum(string path) => TestProcess.Check("sha256sum", ["--", path]).Split(' ')[0];

    private static void Extract(string dsc, string into) => TestProcess.Check("dpkg-source", ["--extract", "--", dsc, into], Path.GetDirectoryName(dsc));

    private static List<string> TarFiles(string path)
    {
        using var file = File.OpenRead(path);
        using var gzip = new GZipStream(file, CompressionMode.Decompress);
        using var tar = new TarReader(gzip);
        var names = new List<string>();
        while (tar.GetNextEntry() is { } entry)
        {
            if (entry.EntryType == TarEntryType.RegularFile)
            {
                names.Add(entry.Name);
            }
        }
        return [.. names.Order(StringComparer.Ordinal)];
    }
}
