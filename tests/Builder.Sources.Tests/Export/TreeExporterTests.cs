using Builder.Sources.Export;
using Builder.Sources.Tests.Support;
using Builder.Tests.Common;
using LibGit2Sharp;

namespace Builder.Sources.Tests.Export;

[Trait(Categories.Name, Categories.Integration)]
public sealed class TreeExporterTests : IDisposable
{
    private static readonly ExportLimits Generous = new(64 * 1024 * 1024, 10_000);

    private readonly SourcesTestContext _ctx = new(o => o.MaxExportBytes = 256L * 1024 * 1024);

    private readonly List<Repository> _repositories = [];

    public void Dispose()
    {
        _repositories.ForEach(r => r.Dispose());
        _ctx.Dispose();
    }

    [Fact]
    public async Task A_symlink_to_etc_passwd_in_the_tree_is_refused_and_nothing_is_exported()
    {
        var pkg = _ctx.NewPackage();
        var commit = pkg.Debian("1.0").Symlink("debian/passwd", "/etc/passwd").Commit("steal");
        pkg.Push();
        var request = _ctx.Request(pkg);

        var ex = await Assert.ThrowsAsync<SourceException>(() => _ctx.Sources.PrepareAsync(request, CancellationToken.None));

        Assert.Equal($"{pkg.Package} at {commit[..12]}: symlink 'debian/passwd' points outside the source tree (to '/etc/passwd')", ex.Message);
        Assert.Empty(Directory.EnumerateFileSystemEntries(request.OutputDirectory));
    }

    [Theory]
    [InlineData("docs/up", "../../etc")]
    [InlineData("a", "..")]
    [InlineData("d/e/f", "../../../x")]
    public void Relative_symlinks_that_climb_out_of_the_tree_are_refused(string path, string target)
    {
        var pkg = _ctx.NewPackage();
        pkg.Write("d/e/keep", "x").Write("docs/keep", "x").Symlink(path, target).Commit("escape");

        var ex = Assert.Throws<SourceException>(() => Plan(pkg));
        Assert.Equal($"test: symlink '{path}' points outside the source tree (to '{target}')", ex.Message);
    }

    [Fact]
    public void A_symlink_that_escapes_only_through_another_symlink_is_refused()
    {
        // Lexically "l1/x/../.." is the tree's root; on disk l1 is the root itself, so it is the root's parent.
        var pkg = _ctx.NewPackage();
        pkg.Write("x/keep", "x").Symlink("l1", ".").Symlink("e", "l1/x/../..").Commit("sneaky");

        var ex = Assert.Throws<SourceException>(() => Plan(pkg));
        Assert.Equal("test: symlink 'e' points outside the source tree (to 'l1/x/../..')", ex.Message);
    }

    [Fact]
    public void A_symlink_loop_is_refused()
    {
        var pkg = _ctx.NewPackage();
        pkg.Symlink("a", "b").Symlink("b", "a").Commit("loop");

        var ex = Assert.Throws<SourceException>(() => Plan(pkg));
        Assert.Contains("points outside the source tree", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Links_inside_the_tree_files_and_executable_bits_are_written_as_they_are_in_git()
    {
        var pkg = _ctx.NewPackage();
        pkg.Write("README", "readme\n").Write("debian/rules", "#!/usr/bin/make -f\n").Symlink("debian/README", "../README").Symlink("dangling", "not/yet/built");
        Tools.Run("chmod", "755", "--", Path.Combine(pkg.Work, "debian/rules"));
        pkg.Commit("tree");
        var dest = Path.Combine(_ctx.Root, "export");

        Plan(pkg).WriteDirectory(dest, CancellationToken.None);

        Assert.Equal("readme\n", File.ReadAllText(Path.Combine(dest, "README")));
        Assert.Equal("../README", new FileInfo(Path.Combine(dest, "debian/README")).LinkTarget);
        Assert.Equal("not/yet/built", new FileInfo(Path.Combine(dest, "dangling")).LinkTarget);
        Assert.Equal("755", Stat("%a", Path.Combine(dest, "debian/rules")));
        Assert.Equal("644", Stat("%a", Path.Combine(dest, "README")));
        Assert.False(Directory.Exists(Path.Combine(dest, ".git")));
        // Every file is its own inode: no hard links come out of an export.
        Assert.Equal("1", Stat("%h", Path.Combine(dest, "README")));
    }

    [Fact]
    public void A_1_GiB_sparse_file_is_refused_by_its_size_without_being_written()
    {
        var pkg = _ctx.NewPackage();
        using (var big = File.Create(Path.Combine(pkg.Work, "big.img")))
        {
            big.SetLength(1L << 30);
        }
        // git reads the gigabyte of zeros once to hash it (fast compression keeps that short); the exporter must
        // refuse it from the object header alone. Pushing and fetching it would only test git's transport.
        Git.Run(pkg.Work, "-c", "core.compression=1", "add", "big.img");
        pkg.Write("small", "small\n").Commit("huge");
        File.Delete(Path.Combine(pkg.Work, "big.img"));
        var dest = Path.Combine(_ctx.Root, "export");

        var ex = Assert.Throws<SourceException>(() => Plan(pkg, new ExportLimits(_ctx.Options.MaxExportBytes, 100)));

        Assert.Equal("test: 'big.img' is 1073741824 bytes, more than the export limit of 268435456 bytes (Packages:MaxExportBytes)", ex.Message);
        Assert.False(Directory.Exists(dest));
    }

    [Fact]
    public void The_whole_tree_is_bounded_in_bytes_and_entries_before_anything_is_written()
    {
        var pkg = _ctx.NewPackage();
        pkg.Write("a", new string('a', 600)).Write("b", new string('b', 600)).Write("c/d", "d").Commit("two halves");

        var bytes = Assert.Throws<SourceException>(() => Plan(pkg, new ExportLimits(1000, 100)));
        Assert.Equal("test: the tree is larger than the export limit of 1000 bytes (Packages:MaxExportBytes)", bytes.Message);
        var entries = Assert.Throws<SourceException>(() => Plan(pkg, new ExportLimits(10_000, 3)));
        Assert.Equal("test: the tree has more than 3 entries (Packages:MaxExportEntries)", entries.Message);
    }

    [Theory]
    [InlineData("..")]
    [InlineData(".")]
    [InlineData(".git")]
    [InlineData(".GIT")]
    [InlineData("a\\b")]
    [InlineData("x\u001by")]
    [InlineData("x\u202Ey\u001b")]
    public void Crafted_tree_entries_that_git_itself_would_never_write_are_refused(string name)
    {
        var pkg = _ctx.NewPackage();
        pkg.Write("a", "a").Commit("a");
        var blob = Git.Run(pkg.Work, "rev-parse", "HEAD:a");
        var tree = Tools.RunWithInput($"100644 blob {blob}\t{name}\n", "git", "-C", pkg.Work, "mktree");
        Git.Run(pkg.Work, "reset", "-q", "--soft", Git.Run(pkg.Work, "commit-tree", "-m", "crafted", tree));

        var ex = Assert.Throws<SourceException>(() => Plan(pkg));
        // The name is quoted cleaned: no escape and no bidi override reaches the log or the mail.
        Assert.Equal($"test: refusing the tree entry '{name.Replace('\u001b', '?').Replace('\u202E', '?')}'", ex.Message);
    }

    [Fact]
    public void A_crafted_tree_with_a_name_twice_is_refused()
    {
        var pkg = _ctx.NewPackage();
        pkg.Write("a", "a").Commit("a");
        var blob = Git.Run(pkg.Work, "rev-parse", "HEAD:a");
        var tree = Tools.RunWithInput($"100644 blob {blob}\ta\n100755 blob {blob}\ta\n", "git", "-C", pkg.Work, "mktree");
        var commit = Git.Run(pkg.Work, "commit-tree", "-m", "duplicate", tree);
        Git.Run(pkg.Work, "reset", "-q", "--soft", commit);

        var ex = Assert.Throws<SourceException>(() => Plan(pkg));
        Assert.Equal("test: the tree has 'a' twice", ex.Message);
    }

    [Fact]
    public void A_submodule_is_refused()
    {
        var pkg = _ctx.NewPackage();
        var commit = pkg.Write("a", "a").Commit("a");
        Git.Run(pkg.Work, "update-index", "--add", "--cacheinfo", $"160000,{commit},vendor/lib");
        Git.Run(pkg.Work, "commit", "--quiet", "-m", "submodule");

        var ex = Assert.Throws<SourceException>(() => Plan(pkg));
        Assert.Equal("test: 'vendor/lib' is a git submodule; submodules are not exported, vendor the files instead", ex.Message);
    }

    [Fact]
    public void Random_symlink_trees_either_are_refused_or_resolve_inside_the_export_on_disk()
    {
        var random = new Random(99);
        string[] names = ["a", "b", "c", "..", ".", "d/e", "d", "/etc", "a/..", "d/../.."];
        var accepted = 0;
        var refused = 0;
        for (var round = 0; round < 30; round++)
        {
            var pkg = _ctx.NewPackage();
            pkg.Write("d/e/f", "f").Write("c", "c");
            for (var i = 0; i < 3; i++)
            {
                var target = string.Join('/', Enumerable.Range(0, random.Next(1, 4)).Select(_ => names[random.Next(names.Length)]));
                pkg.Symlink(i switch { 0 => "l0", 1 => "d/l1", _ => "d/e/l2" }, target);
            }
            pkg.Commit("random links");
            ExportPlan plan;
            try
            {
                plan = Plan(pkg);
            }
            catch (SourceException)
            {
                refused++;
                continue;
            }
            accepted++;
            var dest = Path.Combine(_ctx.Root, "rand", round.ToString(System.Globalization.CultureInfo.InvariantCulture));
            plan.WriteDirectory(dest, CancellationToken.None);
            // What the kernel resolves must stay under the export root (realpath -m follows links like open() would).
            foreach (var link in new[] { "l0", "d/l1", "d/e/l2" })
            {
                var real = RealPath(Path.Combine(dest, link));
                Assert.True(real == dest || real.StartsWith(dest + "/", StringComparison.Ordinal), $"{link} -> {real} escapes {dest}");
            }
        }
        Assert.True(accepted > 0 && refused > 0, $"accepted {accepted}, refused {refused}");
    }

    private ExportPlan Plan(PackageRepository pkg, ExportLimits? limits = null)
    {
        // The plan reads blobs when it writes: the repository stays open until the test ends.
        var repo = new Repository(pkg.Work);
        _repositories.Add(repo);
        return TreeExporter.Plan(repo, repo.Head.Tip.Tree, limits ?? Generous, "test");
    }

    private static string RealPath(string path) => Tools.Run("realpath", "-m", "--", path);

    private static string Stat(string format, string path) => Tools.Run("stat", "-c", format, "--", path);
}
