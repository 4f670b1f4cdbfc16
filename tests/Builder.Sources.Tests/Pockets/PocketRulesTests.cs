using Builder.Core.Debian;
using Builder.Sources.Pockets;
using Builder.Sources.Tests.Support;
using Builder.Tests.Common;

namespace Builder.Sources.Tests.Pockets;

[Trait(Categories.Name, Categories.Integration)]
public sealed class PocketRulesTests : IDisposable
{
    private readonly SourcesTestContext _ctx = new();

    public void Dispose() => _ctx.Dispose();

    [Fact]
    public async Task The_first_build_of_a_package_in_a_pocket_is_accepted()
    {
        var pkg = _ctx.NewPackage();
        var commit = pkg.Debian("2.10-3", "3.0 (quilt)").Commit("release");
        pkg.Push().Tag("upstream/2.10", commit);

        var prepared = Assert.IsType<PreparedSource>(await _ctx.Sources.PrepareAsync(_ctx.Request(pkg), CancellationToken.None));
        Assert.Equal(commit, prepared.CommitId);
        Assert.Equal("2.10-3", prepared.Version.Text);
    }

    [Fact]
    public async Task Linear_history_with_a_newer_version_is_accepted()
    {
        var pkg = _ctx.NewPackage();
        var first = pkg.Debian("1.0").Commit("1.0");
        pkg.Write("src/a.c", "int a;\n").Commit("work");
        var second = pkg.Debian("1.1").Commit("1.1");
        pkg.Push();

        var result = await _ctx.Sources.PrepareAsync(_ctx.Request(pkg, head: Head(first, "1.0")), CancellationToken.None);
        Assert.Equal(second, Assert.IsType<PreparedSource>(result).CommitId);
    }

    [Fact]
    public async Task A_merge_commit_that_includes_the_pocket_head_is_accepted()
    {
        var pkg = _ctx.NewPackage();
        var head = pkg.Debian("1.0").Commit("1.0");
        pkg.Git_("checkout", "-q", "-b", "feature");
        pkg.Write("feature.txt", "feature\n").Commit("feature");
        pkg.Git_("checkout", "-q", "main");
        pkg.Write("fix.txt", "fix\n").Commit("fix");
        pkg.Git_("merge", "-q", "--no-ff", "-m", "merge feature", "feature");
        var merge = pkg.Debian("1.1").Commit("1.1");
        pkg.Push();

        var result = await _ctx.Sources.PrepareAsync(_ctx.Request(pkg, head: Head(head, "1.0")), CancellationToken.None);
        Assert.Equal(merge, Assert.IsType<PreparedSource>(result).CommitId);
    }

    [Fact]
    public async Task A_force_pushed_branch_that_does_not_descend_from_the_head_is_rejected_in_a_strict_pocket()
    {
        var (pkg, published, rewritten) = ForcePushed();

        var result = await _ctx.Sources.PrepareAsync(_ctx.Request(pkg, head: Head(published, "1.1")), CancellationToken.None);

        var violation = Assert.IsType<PolicyViolation>(result);
        Assert.Equal(
            $"{pkg.Package} commit {rewritten[..12]} does not descend from {published[..12]} (1.1), the head of prod; prod does not allow backtracking",
            violation.Reason);
        Assert.Equal(rewritten, violation.CommitId);
    }

    [Fact]
    public async Task A_force_pushed_branch_is_accepted_in_a_pocket_that_allows_backtracking()
    {
        var (pkg, published, rewritten) = ForcePushed();

        var result = await _ctx.Sources.PrepareAsync(_ctx.Request(pkg, pocket: "dev", head: Head(published, "1.1"), allowBacktracking: true), CancellationToken.None);

        Assert.Equal(rewritten, Assert.IsType<PreparedSource>(result).CommitId);
    }

    [Fact]
    public async Task A_head_commit_the_repository_no_longer_has_is_a_rejection_not_a_crash()
    {
        var pkg = _ctx.NewPackage();
        pkg.Debian("2.0").Commit("2.0");
        pkg.Push();
        var gone = new string('e', 40);

        var violation = Assert.IsType<PolicyViolation>(await _ctx.Sources.PrepareAsync(_ctx.Request(pkg, head: Head(gone, "1.0")), CancellationToken.None));
        Assert.Contains("that commit is no longer in the repository, and prod does not allow backtracking", violation.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("2.10-3", "2.10-3")]
    [InlineData("2.10-3", "2.10-2")]
    [InlineData("2.10-3", "2.10-3~bpo12+1")]
    [InlineData("1:1.0-1", "9.9-1")]
    [InlineData("2.10", "2.10~rc1")]
    public async Task A_version_that_is_not_newer_than_the_pocket_s_is_rejected_with_a_readable_reason(string current, string candidate)
    {
        var (pkg, head) = Published(current);
        var refused = pkg.Debian(candidate, Format(candidate)).Commit(candidate);
        pkg.Push();

        var violation = Assert.IsType<PolicyViolation>(await _ctx.Sources.PrepareAsync(_ctx.Request(pkg, head: Head(head, current)), CancellationToken.None));
        Assert.Equal($"{pkg.Package} {candidate} is not newer than {current} in prod", violation.Reason);
        // What was refused, for the build record, its mail and its hooks.
        Assert.Equal(refused, violation.CommitId);
        Assert.Equal(candidate, violation.Version);
    }

    [Theory]
    [InlineData("2.10-3", "1:1.0-1")]
    [InlineData("2.10~rc1", "2.10")]
    [InlineData("2.10~rc1", "2.10~rc2")]
    [InlineData("2.10-3", "2.10-3+deb12u1")]
    [InlineData("2.9", "2.10")]
    public async Task A_newer_version_including_an_epoch_bump_or_a_tilde_release_is_accepted(string current, string candidate)
    {
        var (pkg, head) = Published(current);
        var next = pkg.Debian(candidate, Format(candidate)).Commit(candidate);
        pkg.Push();
        if (Format(candidate) == "3.0 (quilt)")
        {
            pkg.Tag(GitRefNames.UpstreamTag(DebianVersion.Parse(candidate).Upstream), next);
        }

        var result = await _ctx.Sources.PrepareAsync(_ctx.Request(pkg, head: Head(head, current)), CancellationToken.None);
        Assert.Equal(candidate, Assert.IsType<PreparedSource>(result).Version.Text);
    }

    private (PackageRepository Package, string Head) Published(string version)
    {
        var pkg = _ctx.NewPackage();
        return (pkg, pkg.Debian(version, Format(version)).Commit(version));
    }

    // 3.0 (quilt) for versions with a revision, whose upstream tag is the commit itself (no upstream files).
    private static string Format(string version) => DebianVersion.Parse(version).IsNative ? "3.0 (native)" : "3.0 (quilt)";

    private (PackageRepository Package, string Published, string Rewritten) ForcePushed()
    {
        var pkg = _ctx.NewPackage();
        pkg.Debian("1.0").Commit("1.0");
        var published = pkg.Write("bad.txt", "oops\n").Debian("1.1").Commit("1.1");
        // As after a real publish: the pocket tag keeps the old head reachable once the branch is rewritten.
        pkg.Push().Tag("prod/1.1");
        pkg.Git_("reset", "-q", "--hard", "HEAD~1");
        var rewritten = pkg.Write("good.txt", "fixed\n").Debian("1.2").Commit("1.2 rewritten");
        pkg.Push(force: true);
        return (pkg, published, rewritten);
    }

    private static PocketHeadState Head(string commit, string version) => new(commit, DebianVersion.Parse(version));
}
