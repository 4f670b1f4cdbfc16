using Builder.Core.Debian;
using Builder.Sources.Tagging;
using Builder.Sources.Tests.Support;
using Builder.Tests.Common;

namespace Builder.Sources.Tests.Tagging;

[Trait(Categories.Name, Categories.Integration)]
public sealed class PocketTaggerTests : IDisposable
{
    private readonly SourcesTestContext _ctx = new();

    public void Dispose() => _ctx.Dispose();

    [Fact]
    public async Task Publishing_pushes_an_annotated_pocket_tag_with_the_configured_tagger_build_and_audit_seq()
    {
        var pkg = _ctx.NewPackage();
        var commit = pkg.Debian("2.10-3").Commit("release");
        pkg.Push();

        var outcome = await _ctx.Tagger.TagAsync(pkg.Package, "prod", DebianVersion.Parse("2.10-3"), commit, 42, 1234, CancellationToken.None);

        Assert.Equal(TagOutcome.Created, outcome);
        Assert.Equal("tag", Git.Run(pkg.Bare, "cat-file", "-t", "refs/tags/prod/2.10-3"));
        Assert.Equal(commit, Git.Run(pkg.Bare, "rev-parse", "refs/tags/prod/2.10-3^{commit}"));
        var tag = Git.Run(pkg.Bare, "cat-file", "-p", "refs/tags/prod/2.10-3");
        Assert.Contains("tagger Builder Test <builder@example.org> ", tag, StringComparison.Ordinal);
        Assert.Contains("Build: 42\nAudit-Seq: 1234", tag, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Tagging_the_same_commit_again_changes_nothing()
    {
        var pkg = _ctx.NewPackage();
        var commit = pkg.Debian("1.0").Commit("release");
        pkg.Push();
        await _ctx.Tagger.TagAsync(pkg.Package, "prod", DebianVersion.Parse("1.0"), commit, 1, 10, CancellationToken.None);
        var before = Git.Run(pkg.Bare, "rev-parse", "refs/tags/prod/1.0");

        var again = await _ctx.Tagger.TagAsync(pkg.Package, "prod", DebianVersion.Parse("1.0"), commit, 2, 11, CancellationToken.None);

        Assert.Equal(TagOutcome.AlreadyPresent, again);
        Assert.Equal(before, Git.Run(pkg.Bare, "rev-parse", "refs/tags/prod/1.0"));
    }

    [Fact]
    public async Task A_pocket_tag_that_exists_on_another_commit_is_an_error_and_is_never_moved()
    {
        var pkg = _ctx.NewPackage();
        var other = pkg.Debian("1.0").Commit("first try");
        pkg.Push().Tag("prod/1.0", other);
        var commit = pkg.Write("fix", "x").Commit("second try");
        pkg.Push();
        var before = Git.Run(pkg.Bare, "rev-parse", "refs/tags/prod/1.0");

        var ex = await Assert.ThrowsAsync<SourceException>(() =>
            _ctx.Tagger.TagAsync(pkg.Package, "prod", DebianVersion.Parse("1.0"), commit, 7, 70, CancellationToken.None));

        Assert.Equal($"tag prod/1.0 already exists in the repository of {pkg.Package} on commit {other}, not {commit}; a published tag is never moved", ex.Message);
        Assert.Equal(before, Git.Run(pkg.Bare, "rev-parse", "refs/tags/prod/1.0"));
    }

    [Fact]
    public async Task A_tag_pushed_upstream_after_the_fetch_is_not_overwritten_and_not_kept_in_the_mirror()
    {
        var pkg = _ctx.NewPackage();
        var commit = pkg.Debian("1.0").Commit("release");
        var other = pkg.Write("other", "x").Commit("other");
        pkg.Push();
        using var lease = await _ctx.Mirrors.AcquireAsync(pkg.Package, CancellationToken.None);
        // Someone else tags the version (on another commit) after the mirror was fetched: the push must fail, not overwrite.
        pkg.Tag("prod/1.0", other);

        var ex = Assert.Throws<SourceException>(() => _ctx.Tagger.Tag(lease, "prod", DebianVersion.Parse("1.0"), commit, 3, 30));

        Assert.StartsWith($"pushing tag prod/1.0 to {pkg.Bare} failed: ", ex.Message, StringComparison.Ordinal);
        Assert.Equal(other, Git.Run(pkg.Bare, "rev-parse", "refs/tags/prod/1.0^{commit}"));
        Assert.Null(lease.Repository.Tags["prod/1.0"]);
    }

    [Theory]
    [InlineData("1:2.0~rc1-1", "prod/1%2.0_rc1-1")]
    [InlineData("2.10-3", "prod/2.10-3")]
    [InlineData("1.0..1", "prod/1.0.#.1")]
    public async Task Versions_are_mangled_into_tag_names_as_DEP_14_does(string version, string tag)
    {
        Assert.Equal(tag, GitRefNames.PocketTag("prod", version));
        var pkg = _ctx.NewPackage();
        var commit = pkg.Write("a", "a").Commit("release");
        pkg.Push();

        await _ctx.Tagger.TagAsync(pkg.Package, "prod", DebianVersion.Parse(version), commit, 5, 50, CancellationToken.None);

        Assert.Equal(commit, Git.Run(pkg.Bare, "rev-parse", $"refs/tags/{tag}^{{commit}}"));
    }
}
