using System.Diagnostics;
using Builder.Sources.Tests.Support;
using Builder.Tests.Common;
using LibGit2Sharp;

namespace Builder.Sources.Tests.Mirrors;

[Trait(Categories.Name, Categories.Integration)]
public sealed class MirrorCacheTests : IDisposable
{
    private readonly SourcesTestContext _ctx = new(o => o.MirrorLockTimeout = TimeSpan.FromSeconds(2));

    public void Dispose() => _ctx.Dispose();

    [Fact]
    public async Task The_first_use_clones_a_bare_mirror_and_later_uses_fetch_new_and_force_pushed_commits()
    {
        var pkg = _ctx.NewPackage();
        var first = pkg.Write("a", "1").Commit("first");
        pkg.Push();
        using (var lease = await _ctx.Mirrors.AcquireAsync(pkg.Package, CancellationToken.None))
        {
            Assert.True(lease.Repository.Info.IsBare);
            Assert.Equal(first, lease.Repository.Branches["main"].Tip.Sha);
            Assert.Equal(Path.Combine(_ctx.Options.MirrorDirectory, pkg.Package + ".git"), lease.Path);
        }

        pkg.Git_("commit", "-q", "--amend", "-m", "rewritten");
        var rewritten = pkg.Head();
        pkg.Push(force: true);
        pkg.Git_("push", "-q", "origin", "HEAD:refs/heads/extra");

        using (var lease = await _ctx.Mirrors.AcquireAsync(pkg.Package, CancellationToken.None))
        {
            Assert.Equal(rewritten, lease.Repository.Branches["main"].Tip.Sha);
            Assert.NotNull(lease.Repository.Branches["extra"]);
        }

        // A branch deleted upstream is pruned from the mirror.
        pkg.Git_("push", "-q", "origin", ":refs/heads/extra");
        using (var lease = await _ctx.Mirrors.AcquireAsync(pkg.Package, CancellationToken.None))
        {
            Assert.Null(lease.Repository.Branches["extra"]);
        }
    }

    [Fact]
    public async Task Concurrent_fetches_of_one_mirror_from_two_caches_take_turns_and_all_see_a_sound_mirror()
    {
        var pkg = _ctx.NewPackage();
        var head = pkg.Write("a", "1").Commit("first");
        pkg.Push();
        // Two caches share the directory only through the lock file, like two builderd processes; each also runs two at once.
        var caches = new[] { _ctx.Mirrors, _ctx.NewMirrorCache() };
        var inside = 0;
        var maxInside = 0;
        var tips = await Task.WhenAll(Enumerable.Range(0, 6).Select(i => Task.Run(async () =>
        {
            using var lease = await caches[i % 2].AcquireAsync(pkg.Package, CancellationToken.None);
            var now = Interlocked.Increment(ref inside);
            InterlockedMax(ref maxInside, now);
            // Work with the mirror while holding it: a second holder would see this count above one.
            var tip = lease.Repository.Branches["main"].Tip.Sha;
            var count = lease.Repository.Commits.QueryBy(new CommitFilter { IncludeReachableFrom = tip }).Count();
            Interlocked.Decrement(ref inside);
            return (tip, count);
        })));

        Assert.Equal(1, maxInside);
        Assert.All(tips, t => Assert.Equal((head, 1), t));
        Assert.Empty(Directory.EnumerateDirectories(_ctx.Options.MirrorDirectory, "*.new-*"));
    }

    [Fact]
    public async Task A_mirror_locked_by_another_process_is_waited_for_then_refused_with_the_setting_named()
    {
        var pkg = _ctx.NewPackage();
        pkg.Write("a", "1").Commit("first");
        pkg.Push();
        Directory.CreateDirectory(_ctx.Options.MirrorDirectory);
        var lockFile = Path.Combine(_ctx.Options.MirrorDirectory, pkg.Package + ".lock");
        // flock(1) holds the lock until its stdin closes, like another builderd in the middle of a fetch.
        var psi = new ProcessStartInfo("flock") { RedirectStandardInput = true, RedirectStandardOutput = true };
        foreach (var a in new[] { "--exclusive", lockFile, "-c", "echo locked; cat >/dev/null" })
        {
            psi.ArgumentList.Add(a);
        }
        using var holder = Process.Start(psi)!;
        Assert.Equal("locked", await holder.StandardOutput.ReadLineAsync());

        var ex = await Assert.ThrowsAsync<SourceException>(() => _ctx.Mirrors.AcquireAsync(pkg.Package, CancellationToken.None));
        Assert.Equal(
            $"{lockFile} is still locked after 00:00:02 (Packages:MirrorLockTimeout): another build or process is using this mirror",
            ex.Message);

        holder.StandardInput.Close();
        await holder.WaitForExitAsync();
        using var lease = await _ctx.Mirrors.AcquireAsync(pkg.Package, CancellationToken.None);
        Assert.NotNull(lease.Repository.Branches["main"]);
    }

    [Theory]
    [InlineData("objects")]
    [InlineData("pack")]
    [InlineData("HEAD")]
    public async Task A_corrupt_mirror_is_recloned_not_trusted(string damage)
    {
        var pkg = _ctx.NewPackage();
        var head = pkg.Write("a", "1").Commit("first");
        pkg.Push();
        string path;
        using (var lease = await _ctx.Mirrors.AcquireAsync(pkg.Package, CancellationToken.None))
        {
            path = lease.Path;
        }
        File.WriteAllText(Path.Combine(path, "marker"), "the old mirror");
        if (damage == "objects")
        {
            // Refs survive, the objects they name do not: only reading them shows the damage.
            foreach (var file in Directory.EnumerateFiles(Path.Combine(path, "objects"), "*", SearchOption.AllDirectories))
            {
                File.Delete(file);
            }
        }
        else if (damage == "pack")
        {
            // Bit rot inside the pack: the index still finds the objects, inflating them fails.
            foreach (var pack in Directory.EnumerateFiles(Path.Combine(path, "objects", "pack"), "*.pack"))
            {
                var bytes = File.ReadAllBytes(pack);
                Array.Fill(bytes, (byte)0xA5, 12, bytes.Length - 32);
                File.WriteAllBytes(pack, bytes);
            }
        }
        else
        {
            File.WriteAllText(Path.Combine(path, "HEAD"), "garbage\0\n");
        }

        using (var lease = await _ctx.Mirrors.AcquireAsync(pkg.Package, CancellationToken.None))
        {
            Assert.Equal(head, lease.Repository.Branches["main"].Tip.Sha);
            Assert.Equal("1", lease.Repository.Lookup<Commit>(head).Tree["a"].Target.Peel<Blob>().GetContentText());
        }
        Assert.False(File.Exists(Path.Combine(path, "marker")));
    }

    [Fact]
    public async Task A_package_repository_owned_by_another_user_is_mirrored()
    {
        // The usual layout: /srv/git/packages belongs to a git user, builderd runs as its own user.
        var pkg = _ctx.NewPackage();
        var head = pkg.Write("a", "1").Commit("first");
        pkg.Push();
        Tools.Run("chown", "-R", "nobody:nogroup", "--", pkg.Bare);

        using var lease = await _ctx.Mirrors.AcquireAsync(pkg.Package, CancellationToken.None);

        Assert.Equal(head, lease.Repository.Branches["main"].Tip.Sha);
    }

    [Fact]
    public async Task A_missing_package_repository_fails_naming_the_url_and_leaves_no_mirror()
    {
        var ex = await Assert.ThrowsAsync<SourceException>(() => _ctx.Mirrors.AcquireAsync("nosuchpackage", CancellationToken.None));

        Assert.StartsWith($"cannot fetch the repository of nosuchpackage from {_ctx.Options.RepositoryUrlFor("nosuchpackage")}: ", ex.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateDirectories(_ctx.Options.MirrorDirectory));
    }

    [Fact]
    public async Task A_repository_that_became_unreachable_fails_the_build_but_keeps_the_mirror()
    {
        var pkg = _ctx.NewPackage();
        pkg.Write("a", "1").Commit("first");
        pkg.Push();
        string path;
        using (var lease = await _ctx.Mirrors.AcquireAsync(pkg.Package, CancellationToken.None))
        {
            path = lease.Path;
        }
        Directory.Move(pkg.Bare, pkg.Bare + ".moved");

        await Assert.ThrowsAsync<SourceException>(() => _ctx.Mirrors.AcquireAsync(pkg.Package, CancellationToken.None));

        Assert.True(Repository.IsValid(path));
        Assert.Equal([path], Directory.EnumerateDirectories(_ctx.Options.MirrorDirectory));
    }

    [Fact]
    public async Task A_package_name_that_could_leave_the_mirror_directory_is_refused()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => _ctx.Mirrors.AcquireAsync("../etc", CancellationToken.None));
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int seen;
        while ((seen = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, seen) != seen)
        {
        }
    }
}
