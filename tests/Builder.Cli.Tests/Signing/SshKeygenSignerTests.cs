using Builder.Cli.Signing;
using Builder.Tests.Common;
using Builder.Tests.Common.Processes;

namespace Builder.Cli.Tests.Signing;

/// <summary>The CLI's one named exception to a child's clean environment: ssh-keygen reaches the user's ssh-agent.</summary>
[Collection(PlantedEnvironmentCollection.Name)]
public sealed class SshKeygenSignerTests : IDisposable
{
    private readonly string _dir = TestEnvironment.NewTempDirectory("ssh-agent");
    private string? _agentPid;

    public void Dispose()
    {
        if (_agentPid is not null)
        {
            TestProcess.Run("kill", ["--", _agentPid]);
        }
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public async Task A_key_held_only_by_the_users_agent_signs_through_the_inherited_SSH_AUTH_SOCK()
    {
        var socket = Path.Combine(_dir, "agent.sock");
        var key = Path.Combine(_dir, "id_ed25519");
        // ssh-agent forks its daemon and prints "SSH_AGENT_PID=N; export …" for a shell: the pid is the one to stop.
        var started = TestProcess.Check("ssh-agent", ["-s", "-a", socket]);
        _agentPid = started.Split(["SSH_AGENT_PID="], StringSplitOptions.None)[1].Split(';')[0];
        TestProcess.Check("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", "agent-only", "-f", key]);
        TestProcess.Check("ssh-add", ["-q", key], environment: new Dictionary<string, string> { ["SSH_AUTH_SOCK"] = socket });
        // Only the public half is left on disk: ssh-keygen can sign with it through the agent alone.
        File.Delete(key);

        string signature;
        using (new PlantedEnvironment(new Dictionary<string, string> { ["SSH_AUTH_SOCK"] = socket }))
        {
            signature = await SshKeygenSigner.SignAsync(key + ".pub", "builder-request 1\n", CancellationToken.None);
        }

        Assert.StartsWith("-----BEGIN SSH SIGNATURE-----\n", signature, StringComparison.Ordinal);
    }
}
