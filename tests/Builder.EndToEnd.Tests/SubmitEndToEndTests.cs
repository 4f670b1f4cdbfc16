using System.CommandLine;
using System.Text.RegularExpressions;
using Builder.Cli;
using Builder.Daemon.Tests.Support;
using Builder.Tests.Common;

namespace Builder.EndToEnd.Tests;

/// <summary>The CLI against a real builderd: sign with ssh-keygen, submit, follow, cancel; the stored request verifies offline.</summary>
[Trait(Categories.Name, Categories.Integration)]
public sealed partial class SubmitEndToEndTests(DaemonHost host) : IClassFixture<DaemonHost>
{
    [GeneratedRegex(@"^build (\d+) queued: dev/hello$", RegexOptions.Multiline)]
    private static partial Regex Queued();

    private async Task<(int Code, string Out, string Err)> CliAsync(string keyPath, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        string[] common = ["--url", host.BaseAddress.ToString(), "--user", "alice", "--key", keyPath];
        var code = await BuilderCommandLine.RunAsync([.. args, .. common], new InvocationConfiguration { Output = output, Error = error });
        return (code, output.ToString(), error.ToString());
    }

    [Fact]
    public async Task Submit_via_cli_is_queued_shown_by_status_and_the_stored_request_verifies_with_ssh_keygen()
    {
        var dir = TestEnvironment.NewTempDirectory("e2e-submit");
        var key = Path.Combine(dir, "id_ed25519");
        host.Alice.WritePrivateKeyFile(key);

        var (code, output, error) = await CliAsync(key, "submit", "dev", "hello");
        Assert.True(code == 0, error);
        var id = long.Parse(Queued().Match(output).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);

        var status = await CliAsync(key, "status", id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(0, status.Code);
        Assert.Contains("state      queued", status.Out, StringComparison.Ordinal);
        Assert.Contains($"requester  alice ({host.Alice.Fingerprint})", status.Out, StringComparison.Ordinal);

        var queue = await CliAsync(key, "queue");
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

        var cancel = await CliAsync(key, "cancel", id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(0, cancel.Code);
        Assert.Contains($"build {id} cancelled", cancel.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cli_reports_a_refusal_with_the_servers_message_and_exit_code()
    {
        var dir = TestEnvironment.NewTempDirectory("e2e-refused");
        var key = Path.Combine(dir, "id_ed25519");
        host.Bob.WritePrivateKeyFile(key);
        // alice's name with bob's key: 401 unknown key.
        var (code, _, error) = await CliAsync(key, "submit", "dev", "hello");
        Assert.Equal((int)ExitCode.Unauthorized, code);
        Assert.Contains($"401 unknown-key: the request is signed with key {host.Bob.Fingerprint}", error, StringComparison.Ordinal);
    }
}
