using System.Security.Cryptography;
using System.Text.Json;
using Builder.Daemon.Tests.Support;
using Builder.EndToEnd.Tests.Support;
using Builder.Tests.Common;

namespace Builder.EndToEnd.Tests;

/// <summary>
/// Pockets as trust domains, end to end through the CLI with real VMs, reprepro and the audit mailbox: a build
/// publishes only what its source declares, and a commit built in dev reaches another pocket only along the trust
/// that pocket declares (CopyFrom, BuildDepsFrom) — otherwise it is rebuilt there from that pocket's own sources.
/// </summary>
[Collection(PipelineCollection.Name)]
[Trait(Categories.Name, Categories.Integration)]
public sealed partial class PocketTrustEndToEndTests(TrustDomainsHost host) : IClassFixture<TrustDomainsHost>
{
    private static readonly TimeSpan VmBuild = TimeSpan.FromMinutes(15);

    [Fact]
    public async Task A_dev_package_that_smuggles_an_undeclared_binary_into_its_changes_is_rejected_and_nothing_of_it_is_published()
    {
        var (id, build, log) = await FailsAtBuildingAsync("trojan");
        Assert.Contains("zlib1g-dev_1.0_all.deb: package 'zlib1g-dev' is not declared in trojan's debian/control", BuildWaits.Field(build, "reason"), StringComparison.Ordinal);
        Assert.Contains("zlib1g-dev_1.0_all.deb: package 'zlib1g-dev' is not declared in trojan's debian/control", log, StringComparison.Ordinal);
        Assert.Contains("nothing of it is published", log, StringComparison.Ordinal);
        Assert.DoesNotContain("publishing", BuildWaits.States(build));

        // Nothing of the build reached the repository: neither the smuggled package nor the declared one.
        Assert.Empty(Listed("dev", "zlib1g-dev"));
        Assert.Empty(Listed("dev", "trojan"));
        Assert.Empty(PoolFiles("zlib1g-dev_*"));
        // The attempt is closed in the audit chain as failed at building.
        var audit = await host.Mailbox.WaitForBuildEndRecordAsync(id);
        Assert.Single(audit, m => Mailbox.IsEvent(m, "build-end") && m.Text.Contains("\nresult failed\nfailed-stage building\n", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Binaries_whose_control_fields_lie_are_rejected_each_naming_its_file_and_field()
    {
        var (_, _, log) = await FailsAtBuildingAsync("forger");
        // A file named hello_1.0_amd64.deb whose control says libc6.
        Assert.Contains("hello_1.0_amd64.deb: package 'libc6' is not declared in forger's debian/control", log, StringComparison.Ordinal);
        // A Version other than the changelog's.
        Assert.Matches(@"forger_2\.0_all\.deb: Version '2\.0' .*1\.0", log);
        // Source: naming another source package.
        Assert.Matches(@"forger-tools_1\.0_amd64\.deb: Source 'coreutils' .*forger", log);
        // An amd64 file for an Architecture: all package.
        Assert.Matches(@"forger-data_1\.0_amd64\.deb: Architecture 'amd64' .*all", log);
        // Two .changes in the output.
        Assert.Matches(@"forger_1\.0_all\.changes.*forger_1\.0_amd64\.changes|forger_1\.0_amd64\.changes.*forger_1\.0_all\.changes", log);
        Assert.Empty(Listed("dev", "forger"));
        Assert.Empty(Listed("dev", "libc6"));
        Assert.Empty(PoolFiles("*forger*"));
    }

    [Fact]
    public async Task A_commit_built_in_dev_reaches_another_pocket_only_along_the_trust_that_pocket_declares()
    {
        var alice = new CliUser(host, "alice", host.Alice);

        // dev builds builder-lib (a build-dep from the mirror) and builder-user, which takes builder-lib from dev's repository.
        var devLib = await SucceedsAsync(alice, "dev", "builder-lib");
        Assert.Equal(["mirror"], Origins(devLib.Details, TrustDomainsHost.MirrorDependency));
        var devUser = await SucceedsAsync(alice, "dev", "builder-user");
        Assert.Equal(["pocket:dev"], Origins(devUser.Details, "builder-lib"));
        var devUserStart = StartRecord(devUser.Id);
        Assert.Matches(@"\nbuild-deps builder-lib=1\.0 pocket:dev [0-9a-f]{64}\n", devUserStart);

        // prod copies from no pocket and trusts no other pocket's repository: builder-user is not copied, and
        // builder-lib, which only dev has, is not installable for it.
        var prodUser = await EndsAsync(alice, "prod", "builder-user");
        Assert.Equal("failed", BuildWaits.State(prodUser.Details));
        Assert.Equal("preparing", BuildWaits.Field(prodUser.Details, "failedStage"));
        Assert.Contains("builder-lib", BuildWaits.Field(prodUser.Details, "reason"), StringComparison.Ordinal);
        Assert.Contains($"build {devUser.Id} in dev: prod copies from no pocket (Pockets:prod:CopyFrom is empty)", prodUser.Log, StringComparison.Ordinal);
        Assert.Empty(host.Mailbox.AuditRecords(prodUser.Id));

        // prod builds builder-lib in its own VM, with nothing from dev.
        var prodLib = await SucceedsAsync(alice, "prod", "builder-lib");
        Assert.Contains("building", BuildWaits.States(prodLib.Details));
        Assert.Contains($"build {devLib.Id} in dev: prod copies from no pocket", prodLib.Log, StringComparison.Ordinal);
        Assert.DoesNotContain(Deps(prodLib.Details), d => d.Origin == "pocket:dev");
        Assert.DoesNotContain("pocket:dev", StartRecord(prodLib.Id), StringComparison.Ordinal);

        // rc copies from dev: builder-lib's dev build took build-deps from the mirror only, so it is copied, not rebuilt.
        var rcLib = await SucceedsAsync(alice, "rc", "builder-lib");
        Assert.DoesNotContain("building", BuildWaits.States(rcLib.Details));
        var devLibEnd = EndRecordMail(devLib.Id);
        var devLibEndSeq = Field(devLibEnd, "seq");
        var rcStart = StartRecord(rcLib.Id);
        var rcEnd = EndRecordMail(rcLib.Id);
        foreach (var record in new[] { rcStart, rcEnd })
        {
            // Both records name the source build and its build-end record, that build's image and build-deps.
            Assert.Equal($"{devLib.Id} {devLibEndSeq}", Field(record, "copy-of"));
            Assert.Equal(Field(devLibEnd, "image"), Field(record, "image"));
            Assert.Equal(Field(devLibEnd, "build-deps"), Field(record, "build-deps"));
            Assert.StartsWith($"{TrustDomainsHost.MirrorDependency}=", Field(record, "build-deps"), StringComparison.Ordinal);
        }
        // The build-end record lists what rc now serves, with the files' own sha256.
        var artifacts = Field(rcEnd, "artifacts").Split(' ');
        var deb = Assert.Single(PoolFiles("builder-lib_1.0_amd64.deb"));
        var at = Array.IndexOf(artifacts, "builder-lib_1.0_amd64.deb");
        Assert.True(at >= 0, rcEnd);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(deb))), artifacts[at + 1]);
        Assert.Contains("rc|main|amd64: builder-lib 1.0", Reprepro("list", "rc", "builder-lib"), StringComparison.Ordinal);

        // rc copies from dev, but dev's builder-user took builder-lib from dev's repository, which rc does not trust:
        // rebuilt in rc's own VM, with builder-lib from rc's repository (the copy above).
        var rcUser = await SucceedsAsync(alice, "rc", "builder-user");
        Assert.Contains("building", BuildWaits.States(rcUser.Details));
        Assert.Contains($"build {devUser.Id} in dev: it took build-deps from sources rc does not trust: builder-lib=1.0 (pocket:dev)", rcUser.Log, StringComparison.Ordinal);
        Assert.Contains("building it in rc's own VM from rc's own sources", rcUser.Log, StringComparison.Ordinal);
        Assert.Equal(["pocket:rc"], Origins(rcUser.Details, "builder-lib"));
        Assert.Equal("", Field(StartRecord(rcUser.Id), "copy-of"));
    }

    private sealed record Ended(long Id, JsonElement Details, string Log);

    /// <summary>Submits a dev build with the CLI and waits; it must fail at stage building (the binary checks).</summary>
    private async Task<Ended> FailsAtBuildingAsync(string package)
    {
        var submit = await new CliUser(host, "alice", host.Alice).RunAsync("submit", "dev", package, "--wait");
        var id = submit.QueuedBuildId;
        var build = await host.DetailsAsync(id);
        var log = await host.LogAsync(id);
        Assert.True(BuildWaits.State(build) == "failed" && BuildWaits.Field(build, "failedStage") == "building", $"{submit}\n{log}");
        return new Ended(id, build, log);
    }

    private async Task<Ended> EndsAsync(CliUser user, string pocket, string package)
    {
        var submit = await user.RunAsync("submit", pocket, package);
        var id = submit.QueuedBuildId;
        var details = await host.WaitForEndAsync(id, VmBuild);
        return new Ended(id, details, await host.LogAsync(id));
    }

    private async Task<Ended> SucceedsAsync(CliUser user, string pocket, string package)
    {
        var ended = await EndsAsync(user, pocket, package);
        Assert.True(BuildWaits.State(ended.Details) == "succeeded", $"{pocket}/{package} build {ended.Id}: {BuildWaits.State(ended.Details)}\n{ended.Log}");
        await host.Mailbox.WaitForBuildEndRecordAsync(ended.Id);
        return ended;
    }

    private static IReadOnlyList<(string Name, string Origin)> Deps(JsonElement details) =>
        [.. details.GetProperty("buildDeps").EnumerateArray().Select(d => (d.GetProperty("name").GetString()!, d.GetProperty("origin").GetString()!))];

    private static IReadOnlyList<string> Origins(JsonElement details, string package) =>
        [.. Deps(details).Where(d => d.Name == package).Select(d => d.Origin)];

    private string StartRecord(long id) => Assert.Single(host.Mailbox.AuditRecords(id), m => Mailbox.IsEvent(m, "build-start")).Text;

    private string EndRecordMail(long id) => Assert.Single(host.Mailbox.AuditRecords(id), m => Mailbox.IsEvent(m, "build-end")).Text;

    /// <summary>A field of the audit record in a mail's text (empty for a bare key).</summary>
    private static string Field(string record, string key)
    {
        var line = record.Split('\n').Select(l => l.TrimEnd('\r')).First(l => l == key || l.StartsWith(key + " ", StringComparison.Ordinal));
        return line.Length == key.Length ? "" : line[(key.Length + 1)..];
    }

    /// <summary>What the pocket's distribution lists for a package; nothing when no build has published anything yet.</summary>
    private string Listed(string pocket, string package) =>
        File.Exists(Path.Combine(host.AptDirectory, "conf", "distributions")) ? Reprepro("list", pocket, package).Trim() : "";

    private string Reprepro(params string[] args) => TestProcess.Check("reprepro", ["--basedir", host.AptDirectory, .. args]);

    private string[] PoolFiles(string pattern) =>
        Directory.Exists(Path.Combine(host.AptDirectory, "pool")) ? Directory.GetFiles(Path.Combine(host.AptDirectory, "pool"), pattern, SearchOption.AllDirectories) : [];
}
