using Builder.Core.Pockets;
using Builder.Daemon.Hosting;
using Builder.Daemon.Apt;
using Builder.Tests.Common;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Builder.Daemon.Tests.Apt;

/// <summary>Real reprepro, GnuPG and apt: what is published is signed, installable, never included twice.</summary>
[Trait(Categories.Name, Categories.Integration)]
public sealed class RepositoryPublisherTests
{
    private const string Package = "builder-test-hello";
    private readonly string _work = TestEnvironment.NewTempDirectory("publish");
    private readonly string _gnupg;
    private readonly string _fingerprint;

    public RepositoryPublisherTests()
    {
        _gnupg = Path.Combine(_work, "gnupg");
        Directory.CreateDirectory(_gnupg);
        File.SetUnixFileMode(_gnupg, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var env = new Dictionary<string, string> { ["GNUPGHOME"] = _gnupg };
        TestProcess.Check("gpg", ["--batch", "--passphrase", "", "--quick-gen-key", "Builder Test <builder-test@example.org>", "ed25519", "sign", "never"], environment: env);
        _fingerprint = TestProcess.Check("gpg", ["--batch", "--with-colons", "--list-secret-keys"], environment: env)
            .Split('\n').First(l => l.StartsWith("fpr:", StringComparison.Ordinal)).Split(':')[9];
    }

    private RepositoryPublisher Publisher()
    {
        var pockets = new PocketsOptions { ["dev"] = new PocketOptions(), ["prod"] = new PocketOptions { Distribution = "stable-prod" } };
        var apt = new AptOptions { BaseDirectory = Path.Combine(_work, "repo"), SignWith = _fingerprint, GnupgHome = _gnupg };
        return new RepositoryPublisher(Options.Create(apt), new TestOptionsMonitor<PocketsOptions>(pockets), NullLogger<RepositoryPublisher>.Instance);
    }

    /// <summary>A real source package (dpkg-source) and an Architecture: all binary (dpkg-deb) of it; <paramref name="marker"/> varies its bytes.</summary>
    private (string Dsc, string Deb) MakePackage(string version, string? marker = null)
    {
        var src = Path.Combine(_work, $"src-{version}", Package);
        Directory.CreateDirectory(Path.Combine(src, "debian", "source"));
        File.WriteAllText(Path.Combine(src, "debian", "source", "format"), "3.0 (native)\n");
        File.WriteAllText(Path.Combine(src, "debian", "control"),
            $"Source: {Package}\nMaintainer: Test <t@example.org>\nBuild-Depends: debhelper-compat (= 13)\n\nPackage: {Package}\nArchitecture: all\nDescription: test\n test\n");
        File.WriteAllText(Path.Combine(src, "debian", "changelog"),
            $"{Package} ({version}) unstable; urgency=medium\n\n  * Test.\n\n -- Test <t@example.org>  Mon, 23 Nov 2026 08:00:00 +0000\n");
        File.WriteAllText(Path.Combine(src, "debian", "rules"), "#!/usr/bin/make -f\n%:\n\tdh $@\n");
        TestProcess.Check("dpkg-source", ["-b", Package], Path.GetDirectoryName(src));

        var stage = Path.Combine(_work, $"deb-{version}-{marker}");
        Directory.CreateDirectory(Path.Combine(stage, "DEBIAN"));
        Directory.CreateDirectory(Path.Combine(stage, "usr", "share", "doc", Package));
        File.WriteAllText(Path.Combine(stage, "usr", "share", "doc", Package, "marker"), (marker ?? version) + "\n");
        File.WriteAllText(Path.Combine(stage, "DEBIAN", "control"),
            $"Package: {Package}\nSource: {Package}\nVersion: {version}\nSection: misc\nPriority: optional\nArchitecture: all\nMaintainer: Test <t@example.org>\nDescription: test\n test\n");
        var debDir = Path.Combine(_work, $"out-{version}-{marker}");
        Directory.CreateDirectory(debDir);
        var deb = Path.Combine(debDir, $"{Package}_{version}_all.deb");
        TestProcess.Check("dpkg-deb", ["--root-owner-group", "--build", stage, deb]);
        return (Path.Combine(Path.GetDirectoryName(src)!, $"{Package}_{version}.dsc"), deb);
    }

    /// <summary>
    /// Another builderd on the same repository, in the middle of its reprepro call (it holds the repository lock, and
    /// reprepro's own db/lockfile exists): this process waits for it instead of failing with reprepro's "The lock file
    /// … already exists" (exit 239), which failed a build at publishing when two daemons published at once.
    /// </summary>
    [Fact]
    public async Task A_publish_waits_for_another_process_that_holds_the_repository()
    {
        var publisher = Publisher();
        await publisher.ConfigureAsync(CancellationToken.None);
        var (dsc, deb) = MakePackage("1.0");
        var repo = Path.Combine(_work, "repo");
        var marker = Path.Combine(_work, "other-holds-it");
        var other = TestProcess.RunAsync("flock", ["--exclusive", Path.Combine(repo, "conf", RepositoryLock.FileName), "sh", "-c",
            $"touch '{repo}/db/lockfile' '{marker}'; sleep 2; rm '{repo}/db/lockfile'"]);
        var deadline = DateTime.UtcNow.AddMinutes(1);
        while (!File.Exists(marker))
        {
            Assert.True(DateTime.UtcNow < deadline, "the other process never took the lock");
            await Task.Delay(20);
        }

        Assert.True(await publisher.PublishAsync("dev", Package, "1.0", dsc, [deb], CancellationToken.None));
        Assert.Equal(0, (await other).ExitCode);
        Assert.Equal(["1.0"], await publisher.SourceVersionsAsync("dev", Package, CancellationToken.None));
    }

    [Fact]
    public async Task Published_package_is_signed_and_installable_with_apt_and_is_not_published_twice()
    {
        var publisher = Publisher();
        await publisher.ConfigureAsync(CancellationToken.None);
        var (dsc, deb) = MakePackage("1.0");
        Assert.True(await publisher.PublishAsync("dev", Package, "1.0", dsc, [deb], CancellationToken.None));
        Assert.False(await publisher.PublishAsync("dev", Package, "1.0", dsc, [deb], CancellationToken.None));
        Assert.Equal(["1.0"], await publisher.SourceVersionsAsync("dev", Package, CancellationToken.None));

        // An apt client that trusts only the repository's key: update verifies the signed InRelease.
        var keyring = Path.Combine(_work, "repo-key.gpg");
        TestProcess.Check("gpg", ["--batch", "--yes", "--output", keyring, "--export", _fingerprint], environment: new Dictionary<string, string> { ["GNUPGHOME"] = _gnupg });
        var aptRoot = Path.Combine(_work, "client");
        foreach (var d in new[] { "etc/apt/apt.conf.d", "etc/apt/preferences.d", "etc/apt/sources.list.d", "lists/partial", "archives/partial" })
        {
            Directory.CreateDirectory(Path.Combine(aptRoot, d));
        }
        File.WriteAllText(Path.Combine(aptRoot, "etc/apt/sources.list"), $"deb [signed-by={keyring}] file:{Path.Combine(_work, "repo")} dev main\n");
        string[] apt =
        [
            "-o", $"Dir::Etc={aptRoot}/etc/apt/", "-o", "Dir::Etc::Parts=apt.conf.d", "-o", $"Dir::State::Lists={aptRoot}/lists/",
            "-o", $"Dir::Cache::Archives={aptRoot}/archives/", "-o", "Debug::NoLocking=1",
        ];
        TestProcess.Check("apt-get", [.. apt, "update"]);
        var policy = TestProcess.Check("apt-cache", [.. apt, "policy", Package]);
        Assert.Contains("Candidate: 1.0", policy, StringComparison.Ordinal);

        // Install it for real, then remove it again.
        try
        {
            TestProcess.Check("apt-get", [.. apt, "install", "-y", "--no-install-recommends", Package], environment: new Dictionary<string, string> { ["DEBIAN_FRONTEND"] = "noninteractive" });
            Assert.Equal("1.0", File.ReadAllText($"/usr/share/doc/{Package}/marker").Trim());
        }
        finally
        {
            TestProcess.Run("dpkg", ["--purge", Package]);
        }
    }

    [Fact]
    public async Task Cross_pocket_copy_brings_source_and_binaries_once()
    {
        var publisher = Publisher();
        await publisher.ConfigureAsync(CancellationToken.None);
        var (dsc, deb) = MakePackage("2.0");
        await publisher.PublishAsync("dev", Package, "2.0", dsc, [deb], CancellationToken.None);
        Assert.True(await publisher.CopyAsync("dev", "prod", Package, "2.0", CancellationToken.None));
        Assert.False(await publisher.CopyAsync("dev", "prod", Package, "2.0", CancellationToken.None));
        Assert.Equal(["2.0"], await publisher.SourceVersionsAsync("prod", Package, CancellationToken.None));
        Assert.True(File.Exists(Path.Combine(_work, "repo", "dists", "stable-prod", "InRelease")));
        var ex = await Assert.ThrowsAsync<PublishException>(() => publisher.CopyAsync("dev", "prod", Package, "9.9", CancellationToken.None));
        Assert.Contains("builder-test-hello 9.9 is not in dev", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_files_a_pocket_serves_for_a_source_version_are_its_dsc_and_binaries_after_a_copy()
    {
        var publisher = Publisher();
        await publisher.ConfigureAsync(CancellationToken.None);
        var (dsc, deb) = MakePackage("4.0");
        await publisher.PublishAsync("dev", Package, "4.0", dsc, [deb], CancellationToken.None);
        Assert.Empty(await publisher.PublishedFilesAsync("prod", Package, "4.0", CancellationToken.None));

        await publisher.CopyAsync("dev", "prod", Package, "4.0", CancellationToken.None);
        var files = await publisher.PublishedFilesAsync("prod", Package, "4.0", CancellationToken.None);

        Assert.Equal([$"{Package}_4.0.dsc", Path.GetFileName(deb)], files.Select(Path.GetFileName));
        Assert.All(files, f => Assert.StartsWith(Path.Combine(_work, "repo", "pool"), f, StringComparison.Ordinal));
        Assert.Equal(File.ReadAllBytes(deb), File.ReadAllBytes(files.Single(f => f.EndsWith(".deb", StringComparison.Ordinal))));
        Assert.Empty(await publisher.PublishedFilesAsync("prod", Package, "3.0", CancellationToken.None));
    }

    [Fact]
    public async Task A_binary_package_name_another_source_has_in_the_pocket_is_refused_and_nothing_is_published()
    {
        var publisher = Publisher();
        await publisher.ConfigureAsync(CancellationToken.None);
        var (dsc, deb) = MakePackage("1.0");
        await publisher.PublishAsync("dev", Package, "1.0", dsc, [deb], CancellationToken.None);
        // Another source ("hijack") whose debian/control declares a binary of the same name.
        // (The .dsc is never reached: the binaries are checked before anything is included.)
        var (hijackDsc, _) = MakePackage("9.0");
        var hijackDeb = MakeBinary("hijack", "9.0");

        var ex = await Assert.ThrowsAsync<PublishException>(() =>
            publisher.PublishAsync("dev", "hijack", "9.0", hijackDsc, [hijackDeb], CancellationToken.None));

        Assert.Equal($"{Package}_9.0_all.deb: package '{Package}' belongs to source '{Package}' in dev; hijack cannot publish it (an admin removes it from the distribution first if it really moves)", ex.Message);
        Assert.DoesNotContain("9.0", Reprepro("list", "dev", Package), StringComparison.Ordinal);
        Assert.Empty(Reprepro("list", "dev", "hijack").Trim());

        // A copy that would take over a name another source has in the target pocket is refused the same way.
        Reprepro("--section", "misc", "--priority", "optional", "includedeb", "stable-prod", hijackDeb);
        var copy = await Assert.ThrowsAsync<PublishException>(() => publisher.CopyAsync("dev", "prod", Package, "1.0", CancellationToken.None));
        Assert.Equal($"package '{Package}' belongs to source 'hijack' in stable-prod; copying {Package} 1.0 would take it over", copy.Message);
        Assert.Empty(await publisher.SourceVersionsAsync("prod", Package, CancellationToken.None));
    }

    [Fact]
    public async Task A_binary_without_section_or_priority_is_published_with_the_sources_defaults_and_one_with_them_keeps_its_own()
    {
        var publisher = Publisher();
        await publisher.ConfigureAsync(CancellationToken.None);
        var (dsc, _) = MakePackage("6.0");
        var bare = MakeBinary(Package, "6.0", fields: "");
        Assert.True(await publisher.PublishAsync("dev", Package, "6.0", dsc, [bare], CancellationToken.None, "libdevel", "extra"));
        var index = File.ReadAllText(Path.Combine(_work, "repo", "dists", "dev", "main", "binary-amd64", "Packages"));
        Assert.Contains("Section: libdevel\n", index, StringComparison.Ordinal);
        Assert.Contains("Priority: extra\n", index, StringComparison.Ordinal);

        var (dsc7, _) = MakePackage("7.0");
        var own = MakeBinary(Package, "7.0", fields: "Section: games\nPriority: important\n");
        await publisher.PublishAsync("prod", Package, "7.0", dsc7, [own], CancellationToken.None, "libdevel", "extra");
        var prod = File.ReadAllText(Path.Combine(_work, "repo", "dists", "stable-prod", "main", "binary-amd64", "Packages"));
        Assert.Contains("Section: games\n", prod, StringComparison.Ordinal);
        Assert.Contains("Priority: important\n", prod, StringComparison.Ordinal);
    }

    /// <summary>A binary named <see cref="Package"/> whose control says it comes from <paramref name="source"/>.</summary>
    private string MakeBinary(string source, string version, string fields = "Section: misc\nPriority: optional\n")
    {
        var stage = Path.Combine(_work, $"bin-{source}-{version}");
        Directory.CreateDirectory(Path.Combine(stage, "DEBIAN"));
        File.WriteAllText(Path.Combine(stage, "DEBIAN", "control"),
            $"Package: {Package}\nSource: {source}\nVersion: {version}\n{fields}Architecture: all\nMaintainer: Test <t@example.org>\nDescription: test\n test\n");
        var dir = Path.Combine(_work, $"binout-{source}-{version}");
        Directory.CreateDirectory(dir);
        var deb = Path.Combine(dir, $"{Package}_{version}_all.deb");
        TestProcess.Check("dpkg-deb", ["--root-owner-group", "--build", stage, deb]);
        return deb;
    }

    private string Reprepro(params string[] args) =>
        TestProcess.Check("reprepro", ["--basedir", Path.Combine(_work, "repo"), .. args], environment: new Dictionary<string, string> { ["GNUPGHOME"] = _gnupg });

    private string PoolFile(string version) =>
        Assert.Single(Directory.GetFiles(Path.Combine(_work, "repo", "pool"), $"{Package}_{version}_all.deb", SearchOption.AllDirectories));

    [Fact]
    public async Task A_publish_cut_short_after_the_source_was_included_gets_its_binaries_on_the_retry()
    {
        var publisher = Publisher();
        await publisher.ConfigureAsync(CancellationToken.None);
        var (dsc, deb) = MakePackage("3.0");
        // As if the daemon had been killed between includedsc and includedeb.
        Reprepro("--section", "misc", "--priority", "optional", "includedsc", "dev", dsc);

        Assert.True(await publisher.PublishAsync("dev", Package, "3.0", dsc, [deb], CancellationToken.None));
        Assert.False(await publisher.PublishAsync("dev", Package, "3.0", dsc, [deb], CancellationToken.None));
        Assert.Contains($"dev|main|amd64: {Package} 3.0", Reprepro("list", "dev", Package), StringComparison.Ordinal);
        Assert.Equal(File.ReadAllBytes(deb), File.ReadAllBytes(PoolFile("3.0")));
    }

    [Fact]
    public async Task A_rebuilt_binary_with_other_bytes_replaces_what_an_interrupted_attempt_published_and_is_listed_once()
    {
        var publisher = Publisher();
        await publisher.ConfigureAsync(CancellationToken.None);
        var (dsc, first) = MakePackage("4.0", marker: "attempt 1");
        Assert.True(await publisher.PublishAsync("dev", Package, "4.0", dsc, [first], CancellationToken.None));
        var (_, second) = MakePackage("4.0", marker: "attempt 2");
        Assert.NotEqual(File.ReadAllBytes(first), File.ReadAllBytes(second));

        Assert.True(await publisher.PublishAsync("dev", Package, "4.0", dsc, [second], CancellationToken.None));
        Assert.False(await publisher.PublishAsync("dev", Package, "4.0", dsc, [second], CancellationToken.None));
        Assert.Equal(File.ReadAllBytes(second), File.ReadAllBytes(PoolFile("4.0")));
        var listed = Reprepro("list", "dev", Package).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, listed.Length); // the source and the one binary
        Assert.Single(listed, l => l.StartsWith("dev|main|amd64:", StringComparison.Ordinal));
    }
}
