using System.Globalization;
using System.Text.RegularExpressions;
using Builder.Cli;
using Builder.EndToEnd.Tests.Support;
using Builder.Tests.Common;

namespace Builder.EndToEnd.Tests;

/// <summary>
/// How builds end other than in success, through the CLI against the full stack: a compile error (failed at stage
/// building, failure mail, failed-build hooks, build-end record), a cancel while the VM runs, and a refusal by prod's ACL.
/// </summary>
[Collection(PipelineCollection.Name)]
[Trait(Categories.Name, Categories.Integration)]
public sealed partial class BuildFailureEndToEndTests(PipelineHost host) : IClassFixture<PipelineHost>
{
    private const string Package = "builder-hello";

    /// <summary>The variables DESIGN.md's hook contract hands every hook.</summary>
    private static readonly string[] HookVariables =
    [
        "BUILDER_ARTIFACTS_DIR", "BUILDER_BUILD_ID", "BUILDER_COMMIT", "BUILDER_FAILED_STAGE", "BUILDER_LOG", "BUILDER_PACKAGE",
        "BUILDER_POCKET", "BUILDER_REQUESTER", "BUILDER_STATE", "BUILDER_VERSION", "BUILDER_WEB_URL",
    ];

    [GeneratedRegex(@"farm gateway for this build on 127\.0\.0\.1:(\d+)")]
    private static partial Regex GatewayLine();

    /// <summary>gcc's message for the identifier the broken commit uses (gcc quotes it with ‘’ under UTF-8, '' otherwise).</summary>
    private const string CompileError = @"error: .hello_no_such_helper. undeclared";

    private static string Id(long id) => id.ToString(CultureInfo.InvariantCulture);

    [Fact]
    public async Task Compile_error_fails_the_build_at_stage_building_with_a_failure_mail_failed_build_hooks_and_a_build_end_record()
    {
        // The first translation unit make compiles no longer compiles: the build fails within a minute of booting.
        var broken = PackageBranch.Push(host.PackageRepository, Package, "broken", from: "dev", version: "1.1", change: "Use a helper that does not exist.",
            edits: new Dictionary<string, Func<string, string>>
            {
                ["src/base64.c"] = c => c + "\nint hello_base64_broken(void)\n{\n    return hello_no_such_helper;\n}\n",
            });
        var alice = new CliUser(host, "alice", host.Alice);
        var submit = await alice.RunAsync("submit", "dev", Package, broken, "--wait");
        var id = submit.QueuedBuildId;
        var log = await host.LogAsync(id);
        Assert.True(submit.Code == (int)ExitCode.BuildFailed, $"{submit}\nlog:\n{log}");
        Assert.Contains($"build {id}: failed (building) [", submit.Out, StringComparison.Ordinal);
        Assert.Contains("reason: ", submit.Out, StringComparison.Ordinal);

        var build = await host.DetailsAsync(id);
        Assert.Equal("failed", BuildWaits.State(build));
        Assert.Equal("building", BuildWaits.Field(build, "failedStage"));
        Assert.Equal(["queued", "preparing", "auditing", "building", "failed"], BuildWaits.States(build));
        Assert.Matches(CompileError, log);

        // The build-end record, in the same chain, says failed at building.
        var audit = await host.Mailbox.WaitForBuildEndRecordAsync(id);
        var end = Assert.Single(audit, m => Mailbox.IsEvent(m, "build-end"));
        Assert.Contains("\nresult failed\n", end.Text, StringComparison.Ordinal);
        Assert.Contains("\nfailed-stage building\n", end.Text, StringComparison.Ordinal);
        Assert.Contains($"\ncommit {broken}\n", end.Text, StringComparison.Ordinal);

        // The failure mail: requester and pocket list, the stage in subject and body, the log's tail with the compiler's error.
        var notice = await host.Mailbox.WaitForNotificationAsync(id);
        Assert.Equal(["alice@builder.test", "dev-list@builder.test"], notice.Recipients.Order(StringComparer.Ordinal));
        Assert.Equal($"[builder] dev/{Package} 1.1: failed at building", notice.Subject);
        Assert.Contains("\nFailed stage: building\n", notice.Text, StringComparison.Ordinal);
        Assert.Contains("lines of the log:", notice.Text, StringComparison.Ordinal);
        Assert.Matches(CompileError, notice.Text);
        Assert.Contains($"\nDetails: {new Uri(host.BaseAddress, $"api/v1/builds/{id}")}\n", notice.Text, StringComparison.Ordinal);

        // failed-build.d ran with exactly the contract's environment (nothing of the daemon's own), no arguments, empty stdin.
        var hook = await host.WaitForHookRecordAsync(id, "failed-build");
        var env = hook.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => l.Contains('=', StringComparison.Ordinal))
            .Select(l => l.Split('=', 2)).ToDictionary(kv => kv[0], kv => kv[1]);
        Assert.StartsWith("argc 0\nstdin 0\n", hook, StringComparison.Ordinal);
        Assert.Equal(HookVariables, env.Keys.Where(k => k.StartsWith("BUILDER", StringComparison.Ordinal)).Order(StringComparer.Ordinal));
        Assert.Empty(env.Keys.Except(["PATH", "LANG", "HOME", "PWD", "SHLVL", "_", .. HookVariables]));
        Assert.Equal(Id(id), env["BUILDER_BUILD_ID"]);
        Assert.Equal("dev", env["BUILDER_POCKET"]);
        Assert.Equal(Package, env["BUILDER_PACKAGE"]);
        Assert.Equal(broken, env["BUILDER_COMMIT"]);
        Assert.Equal("1.1", env["BUILDER_VERSION"]);
        Assert.Equal("alice", env["BUILDER_REQUESTER"]);
        Assert.Equal("failed", env["BUILDER_STATE"]);
        Assert.Equal("building", env["BUILDER_FAILED_STAGE"]);
        Assert.Matches(CompileError, File.ReadAllText(env["BUILDER_LOG"]));
        Assert.StartsWith(host.VmDirectory + "/", env["BUILDER_ARTIFACTS_DIR"], StringComparison.Ordinal);
        Assert.Equal(new Uri(host.BaseAddress, $"api/v1/builds/{id}").ToString(), env["BUILDER_WEB_URL"]);
        Assert.Equal(200, (await host.GetAsync(env["BUILDER_WEB_URL"])).Status);
        Assert.Null(host.HookRecord(id, "post-build"));
        Assert.False(File.Exists(Path.Combine(host.HookRecords, "never")), "a hook named like a package backup file ran");
        var finalLog = await host.LogAsync(id);
        Assert.Contains("\nhook| 10-record: recorded the environment of build " + Id(id) + "\n[hook failed-build.d/10-record] ok (", finalLog, StringComparison.Ordinal);

        // Nothing published, the pocket did not move.
        Assert.DoesNotContain("1.1", PublishedIn("dev"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cancel_while_building_kills_the_vm_closes_the_gateway_records_the_end_and_publishes_nothing()
    {
        var commit = PackageBranch.Push(host.PackageRepository, Package, "to-cancel", from: "dev", version: "1.2", change: "A build to cancel.");
        var alice = new CliUser(host, "alice", host.Alice);
        var submit = await alice.RunAsync("submit", "dev", Package, commit);
        Assert.True(submit.Code == 0, submit.ToString());
        var id = submit.QueuedBuildId;

        // Building: its qemu runs over this build's overlay, the guest agent is up, the gateway listens.
        var building = await host.WaitUntilAsync(id, d => BuildWaits.State(d) == "building", TimeSpan.FromMinutes(5), "state building");
        var overlay = Path.Combine(host.VmDirectory, $"{id}.{BuildWaits.Build(building).GetProperty("attempts").GetInt32()}", "overlay.qcow2");
        await host.WaitUntilAsync(id, _ => ProcessesUsing(overlay).Count > 0, TimeSpan.FromMinutes(2), $"a qemu process on {overlay}");
        await host.WaitForLogAsync(id, "\nguest| builder-agent: ready\n", TimeSpan.FromMinutes(3));
        var gatewayPort = int.Parse(GatewayLine().Match(await host.LogAsync(id)).Groups[1].Value, CultureInfo.InvariantCulture);
        Assert.True(IsListening(gatewayPort), $"the gateway of build {id} is not listening on {gatewayPort}");

        var cancel = await alice.RunAsync("cancel", Id(id));
        Assert.True(cancel.Code == 0, cancel.ToString());
        Assert.Contains($"build {id}: cancel requested (it is building; the builder stops it)", cancel.Out, StringComparison.Ordinal);

        var build = await host.WaitForEndAsync(id, TimeSpan.FromMinutes(3));
        Assert.Equal("cancelled", BuildWaits.State(build));
        Assert.Equal(["queued", "preparing", "auditing", "building", "cancelled"], BuildWaits.States(build));
        Assert.Empty(ProcessesUsing(overlay));
        Assert.False(IsListening(gatewayPort), $"the gateway port {gatewayPort} of the cancelled build is still listening");

        var audit = await host.Mailbox.WaitForBuildEndRecordAsync(id);
        var end = Assert.Single(audit, m => Mailbox.IsEvent(m, "build-end"));
        Assert.Contains("\nresult cancelled\n", end.Text, StringComparison.Ordinal);
        Assert.Contains("\nfailed-stage\n", end.Text, StringComparison.Ordinal);
        Assert.Contains("BUILDER_STATE=cancelled\n", await host.WaitForHookRecordAsync(id, "failed-build"), StringComparison.Ordinal);

        Assert.Matches(@"VM Cancelled \(\w+, boot \d+\.\d s, total \d+\.\d s\)", await host.LogAsync(id));

        // Nothing published: no package, no tag.
        Assert.DoesNotContain("1.2", PublishedIn("dev"), StringComparison.Ordinal);
        Assert.NotEqual(0, TestProcess.Run("git", ["-C", host.PackageRepository, "rev-parse", "--verify", "-q", "refs/tags/dev/1.2"]).ExitCode);
    }

    [Fact]
    public async Task Prod_acl_refuses_a_dev_only_user_naming_the_pocket_and_nothing_is_stored()
    {
        var before = await CountsAsync();
        var bob = new CliUser(host, "bob", host.Bob);
        var submit = await bob.RunAsync("submit", "prod", Package);
        Assert.True(submit.Code == (int)ExitCode.Forbidden, submit.ToString());
        Assert.Equal("builder: 403 forbidden: 'bob' is not allowed to submit builds in pocket 'prod' (acl/prod)\n", submit.Err);
        Assert.Empty(submit.Out);
        Assert.Equal(before, await CountsAsync());
    }

    /// <summary>What reprepro lists for the package in a distribution; empty while nothing was ever published.</summary>
    private string PublishedIn(string distribution) =>
        File.Exists(Path.Combine(host.AptDirectory, "conf", "distributions"))
            ? TestProcess.Check("reprepro", ["--basedir", host.AptDirectory, "list", distribution, Package])
            : "";

    /// <summary>Builds and accepted nonces in the database.</summary>
    private async Task<(long Builds, long Nonces)> CountsAsync()
    {
        await using var cmd = host.Database.DataSource.CreateCommand("SELECT (SELECT count(*) FROM builds), (SELECT count(*) FROM request_nonces)");
        await using var reader = await cmd.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        return (reader.GetInt64(0), reader.GetInt64(1));
    }

    /// <summary>Processes whose command line mentions <paramref name="path"/> (qemu names its disks there).</summary>
    private static List<int> ProcessesUsing(string path)
    {
        var found = new List<int>();
        foreach (var dir in Directory.GetDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid))
            {
                continue;
            }
            try
            {
                if (File.ReadAllText(Path.Combine(dir, "cmdline")).Contains(path, StringComparison.Ordinal))
                {
                    found.Add(pid);
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // The process ended while we looked.
            }
        }
        return found;
    }

    /// <summary>
    /// Whether a socket listens on the TCP port, from the kernel's table (a probe connection would reach the gateway
    /// and be recorded as a malformed compile job).
    /// </summary>
    private static bool IsListening(int port)
    {
        var hex = port.ToString("X4", CultureInfo.InvariantCulture);
        return new[] { "/proc/net/tcp", "/proc/net/tcp6" }.Where(File.Exists).SelectMany(f => File.ReadLines(f).Skip(1))
            .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Any(f => f.Length > 3 && f[1].EndsWith(":" + hex, StringComparison.Ordinal) && f[3] == "0A");
    }
}
