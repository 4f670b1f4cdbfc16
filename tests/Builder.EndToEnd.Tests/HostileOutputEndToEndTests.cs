using Builder.Daemon.Tests.Support;
using Builder.EndToEnd.Tests.Support;
using Builder.Tests.Common;

namespace Builder.EndToEnd.Tests;

/// <summary>
/// A malicious build dependency against the host's output extractor, through a real builderd process: the mirror
/// serves tarbomb-dev (tests/Builder.EndToEnd.Tests/Packages/tarbomb-dev), whose postinst runs as root in the VM
/// when the guest agent installs the build dependencies, writes a tar with a GNU sparse entry onto the output disk
/// and powers off. The build must fail at building with the rejection as its reason, never through the daemon's
/// "unexpected failure" path (event 8505), and nothing of it may be published.
/// </summary>
[Collection(PipelineCollection.Name)]
[Trait(Categories.Name, Categories.Integration)]
public sealed class HostileOutputEndToEndTests(HostileOutputEndToEndTests.Host host) : IClassFixture<HostileOutputEndToEndTests.Host>
{
    /// <summary>Files the flood package adds to its output: more than the 1024 artifacts one audit record can list.</summary>
    private const int FloodFiles = 1030;

    private const string Rejection = "output tar entry 1 'sparse.deb': is a GNU sparse file (type 'S'), only regular files are accepted";

    /// <summary>
    /// The pipeline stack with one Debian mirror: a signed local repository holding the crafted tarbomb-dev, as a mirror
    /// carrying a compromised package would; tarbomb-user is builder-tiny that Build-Depends on it.
    /// </summary>
    public sealed class Host : BuilderdProcessHost
    {
        private SignedRepository? _mirror;

        protected override IReadOnlyList<string> Packages => [];

        protected override async Task<IReadOnlyDictionary<string, string?>> SettingsAsync()
        {
            var settings = new Dictionary<string, string?>(await base.SettingsAsync());
            _mirror = new SignedRepository("hostile");
            var tree = Path.Combine(TestEnvironment.NewTempDirectory("tarbomb-dev"), "tarbomb-dev");
            TestProcess.Check("cp", ["-a", "--", SourceRepository.TestPackage("tarbomb-dev"), tree]);
            // dpkg-deb wants maintainer scripts 0555..0775, whatever the checkout left.
            File.SetUnixFileMode(Path.Combine(tree, "DEBIAN", "postinst"), (UnixFileMode)0b111_101_101);
            var deb = Path.Combine(Path.GetDirectoryName(tree)!, "tarbomb-dev_1.0_all.deb");
            TestProcess.Check("dpkg-deb", ["--root-owner-group", "-b", tree, deb]);
            _mirror.Reprepro("includedeb", "hostile", deb);
            var sources = Path.Combine(Root, "mirror.list");
            // copy:, as the pockets' own sources: with file: apt leaves packages where they lie, not in the download cache.
            File.WriteAllText(sources, $"deb [signed-by={_mirror.Keyring}] copy:{_mirror.BaseDirectory} hostile main\n");
            settings["BuildDeps:SourceFiles:0"] = sources;
            SourceRepository.Create(GitDirectory, SourceRepository.DemoPackage("builder-tiny"), "tarbomb-user", buildDepends: "tarbomb-dev");
            SourceRepository.Create(GitDirectory, FloodPackage(), "flood");
            return settings;
        }

        /// <summary>
        /// builder-tiny whose debian/rules also leaves <see cref="FloodFiles"/> empty files with 90-character names next to
        /// its .deb, where the guest agent collects *.buildinfo: a build whose output is too long to list in one audit record.
        /// </summary>
        private static string FloodPackage()
        {
            var tree = Path.Combine(TestEnvironment.NewTempDirectory("flood"), "flood");
            TestProcess.Check("cp", ["-a", "--", SourceRepository.DemoPackage("builder-tiny"), tree]);
            var rules = Path.Combine(tree, "debian", "rules");
            var name = "flood-" + new string('x', 70);
            File.WriteAllText(rules, File.ReadAllText(rules).Replace(
                "\tdpkg-deb --root-owner-group --build $(DEST) ..\n",
                $"\tdpkg-deb --root-owner-group --build $(DEST) ..\n\tfor i in $$(seq 1000 {999 + FloodFiles}); do : > ../{name}$$i.buildinfo; done\n",
                StringComparison.Ordinal));
            return tree;
        }

        public override async Task DisposeAsync()
        {
            await base.DisposeAsync();
            _mirror?.Dispose();
        }
    }

    [Fact]
    public async Task A_build_dependency_that_writes_a_sparse_entry_to_the_output_disk_fails_the_build_at_building_naming_the_entry()
    {
        await using var builder = await host.StartBuilderAsync("one", new Dictionary<string, string>());
        var id = await host.SubmitAsync("tarbomb-user");

        var details = (await host.WaitForAllAsync([id], TimeSpan.FromMinutes(15), builder))[id];

        var log = await host.LogAsync(id);
        Assert.True(BuildWaits.State(details) == "failed" && BuildWaits.Field(details, "failedStage") == "building", $"{details}\n{log}\n{builder.LogTail()}");
        Assert.Equal(Rejection, BuildWaits.Field(details, "reason"));
        // The attack ran as the guest agent installed the build dependencies, before any build.
        Assert.Contains("tarbomb-dev: writing a hostile output tar to /dev/vdc", log, StringComparison.Ordinal);
        Assert.Contains("VM OutputRejected", log, StringComparison.Ordinal);
        var daemonLog = File.ReadAllText(builder.LogPath);
        Assert.Contains($"[5006] Build {id}: output rejected: {Rejection}", daemonLog, StringComparison.Ordinal);
        Assert.DoesNotContain("[8505]", daemonLog, StringComparison.Ordinal);
        Assert.DoesNotContain("internal error", log, StringComparison.Ordinal);
        // Nothing published.
        Assert.False(File.Exists(Path.Combine(host.AptDirectory, "conf", "distributions"))
            && TestProcess.Check("reprepro", ["--basedir", host.AptDirectory, "list", "dev", "tarbomb-user"]).Trim().Length > 0);
        var pool = Path.Combine(host.AptDirectory, "pool");
        Assert.Empty(Directory.Exists(pool) ? Directory.GetFiles(pool, "*tarbomb*", SearchOption.AllDirectories) : Array.Empty<string>());
        // The audit chain closes the attempt as failed at building.
        var audit = await host.Mailbox.WaitForBuildEndRecordAsync(id);
        Assert.Single(audit, m => Mailbox.IsEvent(m, "build-end") && m.Text.Contains("\nresult failed\nfailed-stage building\n", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_output_too_long_for_its_build_end_record_is_refused_before_publishing_and_the_attempt_still_gets_its_record()
    {
        // An installation that lets a build return this many files (the default is 256).
        await using var builder = await host.StartBuilderAsync("flood", new Dictionary<string, string> { ["Vm:MaxArtifacts"] = "1100" });
        var id = await host.SubmitAsync("flood");

        var details = (await host.WaitForAllAsync([id], TimeSpan.FromMinutes(15), builder))[id];

        var log = await host.LogAsync(id);
        Assert.True(BuildWaits.State(details) == "failed" && BuildWaits.Field(details, "failedStage") == "publishing", $"{details}\n{log}\n{builder.LogTail()}");
        Assert.StartsWith("not published: its build-end audit record could not be written: ", BuildWaits.Field(details, "reason"), StringComparison.Ordinal);
        Assert.Matches(@"audit: the build-end record lists none of the 10[3-4][0-9] artifacts, which were not published", log);
        Assert.DoesNotContain("[8505]", File.ReadAllText(builder.LogPath), StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(host.AptDirectory, "conf", "distributions"))
            && TestProcess.Check("reprepro", ["--basedir", host.AptDirectory, "list", "dev", "flood"]).Trim().Length > 0);
        // The attempt is closed in the chain: failed at publishing, listing nothing it did not publish.
        var audit = await host.Mailbox.WaitForBuildEndRecordAsync(id);
        Assert.Single(audit, m => Mailbox.IsEvent(m, "build-end") && m.Text.Contains("\nresult failed\nfailed-stage publishing\nartifacts\n", StringComparison.Ordinal));
    }
}
