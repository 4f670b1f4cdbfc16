using System.Globalization;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Builder.Cli;
using Builder.Daemon.Tests.Support;
using Builder.EndToEnd.Tests.Support;
using Builder.Tests.Common;

namespace Builder.EndToEnd.Tests;

/// <summary>
/// The product's main job against the real services: `builder submit dev builder-hello --wait` is built in a disposable
/// VM with its compile jobs sent through the gateway to distccd, published with reprepro (and installable from there
/// with apt), tagged in git, audited off-site before it started, and announced by mail; the same commit then reaches
/// prod by copy, not by a second build, and an older version is refused there.
/// </summary>
[Collection(PipelineCollection.Name)]
[Trait(Categories.Name, Categories.Integration)]
public sealed partial class PipelineEndToEndTests(PipelineHost host) : IClassFixture<PipelineHost>
{
    private const string Package = "builder-hello";

    [GeneratedRegex(@"^build (\d+): ([a-z]+)(?: \(([a-z-]+)\))? \[(\d\d):(\d\d)\]$")]
    private static partial Regex ProgressLine();

    [Fact]
    public async Task Demo_package_submitted_with_the_cli_is_built_published_installable_audited_tagged_notified_copied_to_prod_where_an_older_version_is_rejected()
    {
        var alice = new CliUser(host, "alice", host.Alice);
        var submit = await alice.RunAsync("submit", "dev", Package, "--wait");
        var id = submit.QueuedBuildId;
        var build = await host.DetailsAsync(id);
        var logText = await host.LogAsync(id);
        Assert.True(submit.Code == 0, $"{submit}\nlog:\n{logText}");
        Assert.Equal("succeeded", BuildWaits.State(build));

        // --wait printed one progress line per state it saw (state and elapsed mm:ss), in the pipeline's order, the
        // long VM stage among them, and ended on the result.
        var progress = submit.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(l => ProgressLine().Match(l)).ToList();
        Assert.All(progress, m => Assert.True(m.Success && m.Groups[1].Value == id.ToString(CultureInfo.InvariantCulture), submit.Out));
        var seen = progress.Select(m => m.Groups[2].Value).ToList();
        string[] order = ["queued", "preparing", "auditing", "building", "publishing", "succeeded"];
        Assert.Equal(seen.OrderBy(s => Array.IndexOf(order, s)), seen);
        Assert.Contains("building", seen);
        Assert.Equal("succeeded", seen[^1]);

        // Every stage, in order, each a build_events row.
        Assert.Equal(order, BuildWaits.States(build));
        Assert.Equal("1.0", BuildWaits.Field(build, "version"));

        // The build-start record was accepted by the SMTP server before the VM started (the server's own timestamp).
        var audit = await host.Mailbox.WaitForBuildEndRecordAsync(id);
        var start = Assert.Single(audit, m => Mailbox.IsEvent(m, "build-start"));
        Assert.True(start.StoredUtc <= BuildWaits.EnteredAt(build, "building").UtcDateTime, "the audit mail arrived after the build started");
        Assert.Single(audit, m => Mailbox.IsEvent(m, "build-end") && m.Text.Contains("\nresult succeeded\n", StringComparison.Ordinal));

        // The compile jobs went through the gateway to the farm.
        Assert.Matches(@"[1-9]\d* compile jobs through the farm", logText);

        // Published with reprepro: the .deb is in the pool and dpkg-deb reads it.
        var deb = Directory.GetFiles(Path.Combine(host.AptDirectory, "pool"), $"{Package}_1.0_amd64.deb", SearchOption.AllDirectories).Single();
        Assert.Contains($"Package: {Package}", TestProcess.Check("dpkg-deb", ["--info", deb]), StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(host.AptDirectory, "dists", "dev", "InRelease")));
        // debhelper's automatic debug symbols package passes the binary checks (Auto-Built-Package: debug-symbols).
        var dbgsym = Directory.GetFiles(Path.Combine(host.AptDirectory, "pool"), $"{Package}-dbgsym_1.0_amd64.deb", SearchOption.AllDirectories).Single();
        Assert.Contains("Auto-Built-Package: debug-symbols", TestProcess.Check("dpkg-deb", ["--field", dbgsym]), StringComparison.Ordinal);
        Assert.Contains($"binaries checked against {Package}'s debian/control: ", logText, StringComparison.Ordinal);

        // Its provenance is served, signed with the audit key, names the published .debs, and the build-end record that
        // went off-site carries the sha256 of exactly that envelope.
        var envelope = await host.Http.GetByteArrayAsync(new Uri($"/api/v1/builds/{id}/provenance", UriKind.Relative));
        var endRecord = Assert.Single(audit, m => Mailbox.IsEvent(m, "build-end")).Text;
        Assert.Contains($"\nprovenance sha256:{Convert.ToHexStringLower(SHA256.HashData(envelope))}\n", endRecord, StringComparison.Ordinal);
        var envelopeFile = Path.Combine(TestEnvironment.NewTempDirectory("provenance"), $"{Package}.intoto.json");
        File.WriteAllBytes(envelopeFile, envelope);
        var verified = await RunCliAsync("provenance", "verify", envelopeFile, "--cert", Path.Combine(host.Root, "secrets", "audit.pem"), deb, dbgsym);
        Assert.True(verified.Code == 0, verified.ToString());

        InstallsWithAptFromTheSignedRepository("dev");

        // Tagged in git, naming the build.
        var idText = id.ToString(CultureInfo.InvariantCulture);
        var tag = TestProcess.Check("git", ["-C", host.PackageRepository, "cat-file", "-p", "dev/1.0"]);
        Assert.Contains($"\nBuild: {idText}\n", tag, StringComparison.Ordinal);
        Assert.Contains("\nAudit-Seq: ", tag, StringComparison.Ordinal);

        // Notified: the requester and the pocket's list.
        var notice = await host.Mailbox.WaitForNotificationAsync(id);
        Assert.Contains("alice@builder.test", notice.Recipients);
        Assert.Contains("dev-list@builder.test", notice.Recipients);
        Assert.Equal($"[builder] dev/{Package} 1.0: succeeded", notice.Subject);
        Assert.Contains("published builder-hello 1.0", notice.Text, StringComparison.Ordinal);

        // Hooks: pre-build.d before the VM (state auditing), post-build.d after the success, failed-build.d not at all.
        Assert.Contains("BUILDER_STATE=auditing\n", host.HookRecord(id, "pre-build"), StringComparison.Ordinal);
        var post = await host.WaitForHookRecordAsync(id, "post-build");
        Assert.Contains("BUILDER_STATE=succeeded\n", post, StringComparison.Ordinal);
        Assert.Contains("BUILDER_FAILED_STAGE=\n", post, StringComparison.Ordinal);
        Assert.Matches(@"BUILDER_ARTIFACTS_DIR=/\S+\n", post);
        Assert.Null(host.HookRecord(id, "failed-build"));

        // prod's branch points at the same commit: the binaries are copied, still audited, never rebuilt.
        var (prodStatus, prodSubmitted) = await host.PostAsync(DaemonHost.Submit("alice", pocket: "prod", package: Package), host.Alice);
        Assert.Equal(201, prodStatus);
        var prodId = prodSubmitted.GetProperty("id").GetInt64();
        var prod = await host.WaitForEndAsync(prodId, TimeSpan.FromMinutes(5));
        Assert.Equal("succeeded", BuildWaits.State(prod));
        Assert.DoesNotContain("building", BuildWaits.States(prod));
        // prod's CopyFrom names dev, and the dev build took no build-dep from a pocket: its start record names the copied
        // build and that build's build-end record.
        var devEnd = Assert.Single(audit, m => Mailbox.IsEvent(m, "build-end")).Text;
        var devEndSeq = devEnd.Split('\n').First(l => l.StartsWith("seq ", StringComparison.Ordinal))["seq ".Length..];
        var prodStart = Assert.Single(host.Mailbox.AuditRecords(prodId), m => Mailbox.IsEvent(m, "build-start")).Text;
        Assert.Contains($"\ncopy-of {idText} {devEndSeq}\n", prodStart, StringComparison.Ordinal);
        Assert.Single(Directory.GetFiles(Path.Combine(host.AptDirectory, "pool"), $"{Package}_1.0_amd64.deb", SearchOption.AllDirectories));
        Assert.Contains($"prod|main|amd64: {Package} 1.0", TestProcess.Check("reprepro", ["--basedir", host.AptDirectory, "list", "prod", Package]), StringComparison.Ordinal);

        await OlderVersionIsRejectedInProdAsync(alice);
    }

    private static async Task<CliResult> RunCliAsync(params string[] args)
    {
        var (output, error) = (new StringWriter(), new StringWriter());
        var code = await BuilderCommandLine.RunAsync(args, new System.CommandLine.InvocationConfiguration { Output = output, Error = error });
        return new CliResult(code, output.ToString(), error.ToString());
    }

    /// <summary>
    /// An apt client that trusts only the repository's key (exported from the daemon's GnuPG home) updates from the
    /// pocket, refuses it without that key, installs the package into a private root, and the binary runs.
    /// </summary>
    private void InstallsWithAptFromTheSignedRepository(string distribution)
    {
        var keys = TestEnvironment.NewTempDirectory("apt-keys");
        var keyring = Path.Combine(keys, "builder-repo.gpg");
        var exported = TestProcess.Run("gpg", ["--homedir", host.GnupgHome, "--batch", "--export", "--output", keyring]);
        Assert.True(exported.ExitCode == 0 && new FileInfo(keyring).Length > 0, exported.Error);
        var stranger = Path.Combine(keys, "empty.gpg");
        File.WriteAllBytes(stranger, []);

        var unverified = new PrivateApt($"deb [signed-by={stranger}] file:{host.AptDirectory} {distribution} main").Update();
        Assert.True(unverified.ExitCode != 0, "apt accepted the repository without its key:\n" + unverified.Output + unverified.Error);
        Assert.Contains("NO_PUBKEY", unverified.Output + unverified.Error, StringComparison.Ordinal);

        var apt = new PrivateApt($"deb [signed-by={keyring}] file:{host.AptDirectory} {distribution} main");
        var update = apt.Update();
        Assert.True(update.ExitCode == 0, update.Output + update.Error);
        Assert.DoesNotMatch(@"(?m)^[WE]:", update.Output + update.Error);
        var install = apt.Install(Package);
        Assert.True(install.ExitCode == 0, install.Output + install.Error);
        Assert.Contains($"Setting up {Package} (1.0)", install.Output, StringComparison.Ordinal);

        var binary = Path.Combine(apt.Root, "usr", "bin", Package);
        Assert.Contains("Hello from a disposable build VM!", TestProcess.Check(binary, ["--check"]), StringComparison.Ordinal);
        Assert.Matches($@"(?m)^ii\s+{Package}\s+1\.0\s", TestProcess.Check("dpkg-query", ["--root", apt.Root, "-l", Package]));
    }

    /// <summary>
    /// prod has 1.0; a commit on top of it whose changelog says 0.9 is rejected by policy before anything is built or
    /// audited (DESIGN.md: the audit record precedes a build's start, and a rejected build never starts).
    /// </summary>
    private async Task OlderVersionIsRejectedInProdAsync(CliUser alice)
    {
        var older = PackageBranch.Push(host.PackageRepository, Package, "older", from: "main", version: "0.9", change: "Go back to 0.9.");
        var submit = await alice.RunAsync("submit", "prod", Package, older, "--wait");
        Assert.True(submit.Code == (int)ExitCode.BuildRejected, submit.ToString());
        var id = submit.QueuedBuildId;
        Assert.Contains($"build {id}: rejected [", submit.Out, StringComparison.Ordinal);
        Assert.Contains($"reason: {Package} 0.9 is not newer than 1.0 in prod\n", submit.Out, StringComparison.Ordinal);

        var build = await host.DetailsAsync(id);
        Assert.Equal("rejected", BuildWaits.State(build));
        Assert.Equal($"{Package} 0.9 is not newer than 1.0 in prod", BuildWaits.Field(build, "reason"));
        Assert.Equal(["queued", "preparing", "rejected"], BuildWaits.States(build));
        Assert.Equal("0.9", BuildWaits.Field(build, "version"));
        Assert.Equal(older, BuildWaits.Field(build, "commit"));
        var (_, records) = await host.GetAsync("api/v1/audit/records?from=1");
        Assert.DoesNotContain(records.GetProperty("records").EnumerateArray(), r => r.GetProperty("build").GetInt64() == id);
        Assert.DoesNotContain("0.9", TestProcess.Check("reprepro", ["--basedir", host.AptDirectory, "list", "prod", Package]), StringComparison.Ordinal);

        // failed-build.d runs for a rejection too (README: after a build failed, was rejected or was cancelled).
        var hook = await host.WaitForHookRecordAsync(id, "failed-build");
        Assert.Contains("BUILDER_STATE=rejected\n", hook, StringComparison.Ordinal);
        Assert.Contains("BUILDER_VERSION=0.9\n", hook, StringComparison.Ordinal);
        Assert.Contains($"BUILDER_COMMIT={older}\n", hook, StringComparison.Ordinal);
        Assert.Equal($"[builder] prod/{Package} 0.9: rejected", (await host.Mailbox.WaitForNotificationAsync(id)).Subject);
        Assert.Contains("BUILDER_ARTIFACTS_DIR=\n", hook, StringComparison.Ordinal);
    }
}
