using System.Text;
using Builder.Core.Processes;

namespace Builder.Cli.Signing;

/// <summary>
/// Signs request text with <c>ssh-keygen -Y sign</c>, so keys in ssh-agent, passphrase-protected keys and hardware
/// keys all work exactly as they do for ssh. The text goes in on stdin and the armored SSHSIG comes out on stdout;
/// the passphrase prompt, if any, uses the terminal.
/// </summary>
internal static class SshKeygenSigner
{
    public const string Namespace = "builder";

    /// <summary>
    /// What ssh-keygen takes of the user's environment (the CLI runs as the user, with the user's agent and keys):
    /// the agent's socket, the home with ~/.ssh, the passphrase and PIN prompts (askpass and the display it opens on)
    /// and a hardware key's middleware. Nothing else: like every child, it gets the fixed PATH and LANG otherwise.
    /// </summary>
    public static readonly IReadOnlyList<string> UserVariables =
    [
        "HOME", "SSH_AUTH_SOCK", "SSH_ASKPASS", "SSH_ASKPASS_REQUIRE", "DISPLAY", "WAYLAND_DISPLAY", "XAUTHORITY", "SSH_SK_PROVIDER",
    ];

    public static async Task<string> SignAsync(string keyPath, string text, CancellationToken cancellationToken)
    {
        // No timeout: the user may be typing a passphrase or touching a hardware key.
        var command = new ProcessCommand("ssh-keygen", ["-q", "-Y", "sign", "-n", Namespace, "-f", keyPath])
        {
            DisplayName = $"ssh-keygen -Y sign -f {keyPath}",
            StandardInput = SignedBytes(text),
        };
        foreach (var name in UserVariables)
        {
            command.Inherit.Add(name);
        }
        ProcessResult result;
        try
        {
            result = await ProcessRunner.RunAsync(command, cancellationToken);
        }
        catch (ProcessStartException e)
        {
            throw new CliException(ExitCode.SigningFailed, $"could not run ssh-keygen ({e.InnerException?.Message}); install openssh-client");
        }
        if (result.ExitCode != 0 || !result.StandardOutput.StartsWith("-----BEGIN SSH SIGNATURE-----", StringComparison.Ordinal))
        {
            var errors = result.StandardError.Trim();
            throw new CliException(ExitCode.SigningFailed,
                $"{command.DisplayName} failed (exit {result.ExitCode}){(errors.Length > 0 ? ": " + BoundedOutput.Tail(errors) : "")}");
        }
        return result.StandardOutput;
    }

    /// <summary>The bytes a signature covers, and ssh-keygen reads: exactly the UTF-8 request text.</summary>
    public static byte[] SignedBytes(string text) => Encoding.UTF8.GetBytes(text);
}
