using System.Globalization;
using Builder.Cli;
using Builder.Daemon.Tests.Support;
using Builder.EndToEnd.Tests.Support;
using Builder.Tests.Common;

namespace Builder.EndToEnd.Tests;

/// <summary>The CLI against a real builderd: sign with ssh-keygen, submit, follow, cancel; the stored request verifies offline.</summary>
[Trait(Categories.Name, Categories.Integration)]
public sealed class SubmitEndToEndTests(DaemonHost host) : IClassFixture<DaemonHost>
{
    [Fact]
    public async Task Submit_via_cli_is_queued_shown_by_status_and_the_stored_request_verifies_with_ssh_keygen()
    {
        var dir = TestEnvironment.NewTempDirectory("e2e-submit");
        var alice = new CliUser(host, "alice", host.Alice);

        var submit = await alice.RunAsync("submit", "dev", "hello");
        Assert.True(submit.Code == 0, submit.ToString());
        Assert.Matches(@"^build \d+ queued: dev/hello\n$", submit.Out);
        var id = submit.QueuedBuildId;

        var status = await alice.RunAsync("status", id.ToString(CultureInfo.InvariantCulture));
        Assert.Equal(0, status.Code);
        Assert.Contains("state      queued", status.Out, StringComparison.Ordinal);
        Assert.Contains($"requester  alice ({host.Alice.Fingerprint})", status.Out, StringComparison.Ordinal);

        var queue = await alice.RunAsync("queue");
        Assert.Matches($@"(?m)^\s+{id}\s+queued\s+dev\s+hello\s", queue.Out);

        // The auditor's view: take request + signature from the API and check them with ssh-keygen alone.
        var (_, details) = await host.GetAsync($"api/v1/builds/{id}");
        var requestFile = Path.Combine(dir, "request");
        var signatureFile = Path.Combine(dir, "request.sig");
        var allowed = Path.Combine(dir, "allowed_signers");
        await File.WriteAllTextAsync(requestFile, details.GetProperty("request").GetString());
        await File.WriteAllTextAsync(signatureFile, details.GetProperty("signature").GetString());
        await File.WriteAllTextAsync(allowed, "alice " + File.ReadAllText(Path.Combine(host.AclDirectory, "keys", "alice.pub")));
        var verify = TestProcess.Run("ssh-keygen", ["-Y", "verify", "-f", allowed, "-I", "alice", "-n", "builder", "-s", signatureFile],
            stdin: await File.ReadAllTextAsync(requestFile));
        Assert.True(verify.ExitCode == 0, verify.Error);
        Assert.Contains("Good \"builder\" signature for alice", verify.Output + verify.Error, StringComparison.Ordinal);

        var cancel = await alice.RunAsync("cancel", id.ToString(CultureInfo.InvariantCulture));
        Assert.Equal(0, cancel.Code);
        Assert.Contains($"build {id} cancelled", cancel.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cli_reports_a_refusal_with_the_servers_message_and_exit_code()
    {
        // alice's name with bob's key: 401 unknown key.
        var (code, _, error) = await new CliUser(host, "alice", host.Bob).RunAsync("submit", "dev", "hello");
        Assert.Equal((int)ExitCode.Unauthorized, code);
        Assert.Contains($"401 unknown-key: the request is signed with key {host.Bob.Fingerprint}", error, StringComparison.Ordinal);
    }
}
