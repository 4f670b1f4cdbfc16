using System.Diagnostics;
using System.Text;

namespace Builder.Cli.Signing;

/// <summary>
/// Signs request text with <c>ssh-keygen -Y sign</c>, so keys in ssh-agent, passphrase-protected keys and hardware
/// keys all work exactly as they do for ssh. The text goes in on stdin and the armored SSHSIG comes out on stdout;
/// the passphrase prompt, if any, uses the terminal.
/// </summary>
internal static class SshKeygenSigner
{
    public const string Namespace = "builder";

    public static async Task<string> SignAsync(string keyPath, string text, CancellationToken cancellationToken)
    {
        var psi = new ProcessStartInfo("ssh-keygen")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "-q", "-Y", "sign", "-n", Namespace, "-f", keyPath })
        {
            psi.ArgumentList.Add(arg);
        }
        Process process;
        try
        {
            process = Process.Start(psi) ?? throw new CliException(ExitCode.SigningFailed, "could not start ssh-keygen");
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new CliException(ExitCode.SigningFailed, $"could not run ssh-keygen ({ex.Message}); install openssh-client");
        }
        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
            var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
            await process.StandardInput.WriteAsync(text.AsMemory(), cancellationToken);
            process.StandardInput.Close();
            await process.WaitForExitAsync(cancellationToken);
            var signature = await stdout;
            var errors = (await stderr).Trim();
            if (process.ExitCode != 0 || !signature.StartsWith("-----BEGIN SSH SIGNATURE-----", StringComparison.Ordinal))
            {
                throw new CliException(ExitCode.SigningFailed,
                    $"ssh-keygen -Y sign -f {keyPath} failed (exit {process.ExitCode}){(errors.Length > 0 ? ": " + errors : "")}");
            }
            return signature;
        }
    }

    /// <summary>Used by tests: the bytes a signature covers are exactly the UTF-8 request text.</summary>
    public static byte[] SignedBytes(string text) => Encoding.UTF8.GetBytes(text);
}
