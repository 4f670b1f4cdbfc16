using Builder.Sources.Resolve;
using Builder.Sources.Tests.Support;
using Builder.Tests.Common;
using LibGit2Sharp;

namespace Builder.Sources.Tests.Resolve;

[Trait(Categories.Name, Categories.Integration)]
public sealed class CommitResolverTests : IDisposable
{
    private readonly SourcesTestContext _ctx = new();
    private readonly PackageRepository _pkg;
    private readonly string _first;
    private readonly string _second;
    private readonly Repository _repo;

    public CommitResolverTests()
    {
        _pkg = _ctx.NewPackage();
        _first = _pkg.Write("a", "1").Commit("first");
        _pkg.Tag("v1");
        _second = _pkg.Write("a", "2").Commit("second");
        _pkg.Push().Git_("branch", "stable", _first).Git_("push", "-q", "origin", "stable");
        _repo = new Repository(_pkg.Work);
    }

    public void Dispose()
    {
        _repo.Dispose();
        _ctx.Dispose();
    }

    [Fact]
    public void No_commit_line_means_the_head_of_the_pocket_s_branch()
    {
        Assert.Equal(_second, Resolve(null, "main"));
        Assert.Equal(_first, Resolve(null, "stable"));
    }

    [Fact]
    public void A_full_commit_id_in_either_case_resolves_to_that_commit()
    {
        Assert.Equal(_first, Resolve(_first));
        Assert.Equal(_first, Resolve(_first.ToUpperInvariant()));
    }

    [Fact]
    public void Branches_annotated_tags_and_full_ref_names_resolve_to_their_commits()
    {
        Assert.Equal(_first, Resolve("stable"));
        Assert.Equal(_first, Resolve("v1"));
        Assert.Equal(_first, Resolve("refs/tags/v1"));
        Assert.Equal(_second, Resolve("refs/heads/main"));
    }

    [Fact]
    public void An_abbreviated_commit_id_is_rejected_even_when_it_is_unique()
    {
        var ex = Assert.Throws<SourceException>(() => Resolve(_first[..12]));
        Assert.Equal($"'{_first[..12]}' looks like an abbreviated commit id; give all 40 hex digits", ex.Message);
    }

    [Fact]
    public void A_name_that_is_both_a_branch_and_a_tag_is_rejected_as_ambiguous()
    {
        _pkg.Git_("tag", "stable", _second);
        var ex = Assert.Throws<SourceException>(() => Resolve("stable"));
        Assert.Equal($"'stable' is ambiguous in the repository of {_pkg.Package}: both a branch and a tag; give refs/heads/stable or refs/tags/stable", ex.Message);
    }

    [Fact]
    public void A_commit_that_is_not_in_the_repository_is_reported_by_its_id()
    {
        var missing = new string('0', 39) + "1";
        var ex = Assert.Throws<SourceException>(() => Resolve(missing));
        Assert.Equal($"commit {missing} not found in the repository of {_pkg.Package}", ex.Message);
    }

    [Fact]
    public void A_full_id_of_a_tree_is_not_a_commit()
    {
        var tree = _repo.Lookup<Commit>(_first).Tree.Sha;
        var ex = Assert.Throws<SourceException>(() => Resolve(tree));
        Assert.Equal($"{tree} is a tree in the repository of {_pkg.Package}, not a commit", ex.Message);
    }

    [Theory]
    [InlineData("nosuch", "no branch or tag 'nosuch' in the repository of {0}")]
    [InlineData("refs/heads/nosuch", "no ref refs/heads/nosuch in the repository of {0}")]
    [InlineData("a..b", "'a..b' is neither a 40-hex commit id nor a valid ref name")]
    [InlineData("", "'' is not a commit id or ref name")]
    [InlineData("x\ny", "'x\ny' is not a commit id or ref name")]
    public void Unknown_or_invalid_names_are_reported(string requested, string message)
    {
        var ex = Assert.Throws<SourceException>(() => Resolve(requested));
        Assert.Equal(string.Format(System.Globalization.CultureInfo.InvariantCulture, message, _pkg.Package), ex.Message);
    }

    [Fact]
    public void A_pocket_branch_that_does_not_exist_is_reported()
    {
        var ex = Assert.Throws<SourceException>(() => Resolve(null, "prod"));
        Assert.Equal($"{_pkg.Package} has no branch 'prod' (the pocket's branch) in its repository", ex.Message);
    }

    private string Resolve(string? requested, string branch = "main") => CommitResolver.Resolve(_repo, _pkg.Package, requested, branch).Sha;
}
