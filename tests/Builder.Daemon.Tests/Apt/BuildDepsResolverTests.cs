using System.Security.Cryptography;
using Builder.Daemon.Apt;
using Builder.Daemon.Tests.Support;
using Builder.Tests.Common;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Builder.Daemon.Tests.Apt;

/// <summary>Real apt against the machine's Debian mirror, with a private configuration; real dpkg-source.</summary>
[Trait(Categories.Name, Categories.Integration)]
public sealed class BuildDepsResolverTests
{
    // One APT cache for the class: the lists are fetched once (the resolver's file lock makes sharing safe).
    private static readonly Lazy<string> SharedCache = new(() => TestEnvironment.NewTempDirectory("build-deps-apt"));
    private readonly string _work = TestEnvironment.NewTempDirectory("build-deps");

    private static string HostSources() =>
        File.Exists("/etc/apt/sources.list.d/debian.sources") ? "/etc/apt/sources.list.d/debian.sources" : "/etc/apt/sources.list";

    private BuildDepsResolver Resolver()
    {
        var options = new BuildDepsOptions { CacheDirectory = SharedCache.Value };
        options.SourceFiles.Add(HostSources());
        return new BuildDepsResolver(Options.Create(options), NullLogger<BuildDepsResolver>.Instance);
    }

    private string MakeDsc(string buildDepends)
    {
        var src = Path.Combine(_work, "src", "bdtest");
        Directory.CreateDirectory(Path.Combine(src, "debian", "source"));
        File.WriteAllText(Path.Combine(src, "debian", "source", "format"), "3.0 (native)\n");
        File.WriteAllText(Path.Combine(src, "debian", "control"), $"""
            Source: bdtest
            Maintainer: Test <test@example.org>
            Build-Depends: {buildDepends}
            Standards-Version: 4.6.2

            Package: bdtest
            Architecture: any
            Description: test
             test
            """ + "\n");
        File.WriteAllText(Path.Combine(src, "debian", "changelog"),
            "bdtest (1.0) unstable; urgency=medium\n\n  * Test.\n\n -- Test <test@example.org>  Mon, 23 Nov 2026 08:00:00 +0000\n");
        File.WriteAllText(Path.Combine(src, "debian", "rules"), "#!/usr/bin/make -f\n%:\n\tdh $@\n");
        TestProcess.Check("dpkg-source", ["-b", "bdtest"], Path.Combine(_work, "src"));
        return Path.Combine(_work, "src", "bdtest_1.0.dsc");
    }

    /// <summary>The host's dpkg status without the named packages: they look missing from the "image".</summary>
    private string StatusWithout(params string[] packages)
    {
        var stanzas = File.ReadAllText("/var/lib/dpkg/status").Split("\n\n", StringSplitOptions.RemoveEmptyEntries);
        var kept = stanzas.Where(s => !packages.Any(p => s.StartsWith($"Package: {p}\n", StringComparison.Ordinal)));
        var path = Path.Combine(_work, "status");
        File.WriteAllText(path, string.Join("\n\n", kept) + "\n");
        return path;
    }

    [Fact]
    public async Task Missing_build_dependencies_are_downloaded_with_their_versions_and_hashes()
    {
        var dsc = MakeDsc("debhelper-compat (= 13), liblzo2-dev, zlib1g-dev");
        var output = Path.Combine(_work, "job");
        var deps = await Resolver().ResolveAsync(dsc, StatusWithout("zlib1g-dev", "liblzo2-dev", "liblzo2-2"), [], output, CancellationToken.None);

        var names = deps.Select(d => d.Name).ToList();
        Assert.Contains("liblzo2-dev", names);
        Assert.Contains("zlib1g-dev", names);
        Assert.DoesNotContain("debhelper", names);
        var zlib = deps.Single(d => d.Name == "zlib1g-dev");
        Assert.StartsWith("1:", zlib.Version, StringComparison.Ordinal);
        foreach (var d in deps)
        {
            var file = Path.Combine(output, d.FileName);
            Assert.Equal(d.Sha256, Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(file))));
            Assert.Equal(d.Size, new FileInfo(file).Length);
            Assert.DoesNotContain(":", d.FileName, StringComparison.Ordinal);
        }
        Assert.Equal(deps.Count, Directory.GetFiles(output, "*.deb").Length);
    }

    [Fact]
    public async Task Nothing_to_install_gives_an_empty_list()
    {
        var dsc = MakeDsc("debhelper-compat (= 13)");
        var deps = await Resolver().ResolveAsync(dsc, "/var/lib/dpkg/status", [], Path.Combine(_work, "job"), CancellationToken.None);
        Assert.Empty(deps);
    }

    [Fact]
    public async Task Builds_resolving_at_once_share_the_apt_root_without_tripping_over_its_files()
    {
        var dsc = MakeDsc("debhelper-compat (= 13)");
        var resolver = Resolver();

        var all = await Task.WhenAll(Enumerable.Range(0, 4).Select(i => Task.Run(() =>
            resolver.ResolveAsync(dsc, "/var/lib/dpkg/status", [], Path.Combine(_work, $"job{i}"), CancellationToken.None))));

        Assert.All(all, Assert.Empty);
    }

    [Fact]
    public async Task An_unsatisfiable_build_dependency_fails_with_apts_reason()
    {
        var dsc = MakeDsc("debhelper-compat (= 13), no-such-package-builder-test");
        var ex = await Assert.ThrowsAsync<BuildDepsException>(() =>
            Resolver().ResolveAsync(dsc, "/var/lib/dpkg/status", [], Path.Combine(_work, "job"), CancellationToken.None));
        Assert.Contains("no-such-package-builder-test", ex.Message, StringComparison.Ordinal);
        // The .dsc by name: the log and the mail do not show this host's paths.
        Assert.Contains("bdtest_1.0.dsc", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(_work, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_package_published_to_the_pocket_after_the_lists_were_fetched_satisfies_the_next_build()
    {
        // The pocket's repository (reprepro, signed, as the publisher makes it), empty at first.
        using var repo = new SignedRepository("dev");
        PocketAptSource[] pocket = [new("dev", repo.BaseDirectory, "dev", repo.Keyring)];
        var dsc = MakeDsc("debhelper-compat (= 13), builder-test-pocket-dep");

        var missing = await Assert.ThrowsAsync<BuildDepsException>(() =>
            Resolver().ResolveAsync(dsc, "/var/lib/dpkg/status", pocket, Path.Combine(_work, "job1"), CancellationToken.None));
        Assert.Contains("builder-test-pocket-dep", missing.Message, StringComparison.Ordinal);

        // Now the pocket gets the package (a build published it), well inside BuildDeps:ListsMaxAge.
        var deb = repo.Include("dev", "builder-test-pocket-dep", "1.0");

        var deps = await Resolver().ResolveAsync(dsc, "/var/lib/dpkg/status", pocket, Path.Combine(_work, "job2"), CancellationToken.None);

        var dep = Assert.Single(deps);
        Assert.Equal(("builder-test-pocket-dep", "1.0", "pocket:dev"), (dep.Name, dep.Version, dep.Origin));
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(deb))), dep.Sha256);
    }

    [Fact]
    public async Task Each_build_dependency_is_recorded_with_the_source_it_came_from()
    {
        using var repo = new SignedRepository("dev", "prod");
        repo.Include("prod", "builder-test-from-prod", "2.0");
        repo.Include("dev", "builder-test-from-dev", "3.0");
        // The build's own pocket first, then the pocket it trusts for build-deps.
        PocketAptSource[] sources = [new("prod", repo.BaseDirectory, "prod", repo.Keyring), new("dev", repo.BaseDirectory, "dev", repo.Keyring)];
        var dsc = MakeDsc("debhelper-compat (= 13), builder-test-from-prod, builder-test-from-dev, zlib1g-dev");

        var deps = await Resolver().ResolveAsync(dsc, StatusWithout("zlib1g-dev"), sources, Path.Combine(_work, "job"), CancellationToken.None);

        Assert.Equal("pocket:prod", deps.Single(d => d.Name == "builder-test-from-prod").Origin);
        Assert.Equal("pocket:dev", deps.Single(d => d.Name == "builder-test-from-dev").Origin);
        Assert.Equal("mirror", deps.Single(d => d.Name == "zlib1g-dev").Origin);
    }

    [Fact]
    public async Task A_package_only_in_a_pocket_the_build_does_not_trust_is_not_installable()
    {
        using var repo = new SignedRepository("dev", "prod");
        repo.Include("dev", "builder-test-dev-only", "1.0");
        PocketAptSource[] prodOnly = [new("prod", repo.BaseDirectory, "prod", repo.Keyring)];
        var dsc = MakeDsc("debhelper-compat (= 13), builder-test-dev-only");

        var ex = await Assert.ThrowsAsync<BuildDepsException>(() =>
            Resolver().ResolveAsync(dsc, "/var/lib/dpkg/status", prodOnly, Path.Combine(_work, "job"), CancellationToken.None));

        Assert.Contains("builder-test-dev-only", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_pocket_repository_whose_release_is_signed_by_another_key_is_refused()
    {
        using var repo = new SignedRepository("dev");
        repo.Include("dev", "builder-test-signed-dep", "1.0");
        // Another key than the one the Release files are signed with.
        using var stranger = new SignedRepository("dev");
        PocketAptSource[] wrongKey = [new("dev", repo.BaseDirectory, "dev", stranger.Keyring)];
        var dsc = MakeDsc("debhelper-compat (= 13), builder-test-signed-dep");

        var ex = await Assert.ThrowsAsync<BuildDepsException>(() =>
            Resolver().ResolveAsync(dsc, "/var/lib/dpkg/status", wrongKey, Path.Combine(_work, "job"), CancellationToken.None));

        Assert.Contains("apt-get update failed", ex.Message, StringComparison.Ordinal);
        Assert.Contains("NO_PUBKEY", ex.Message, StringComparison.Ordinal);
    }
}
