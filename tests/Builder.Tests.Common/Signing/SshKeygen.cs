using System.Text;
using Builder.Core.Processes;

namespace Builder.Tests.Common.Signing;

/// <summary>Runs the real OpenSSH <c>ssh-keygen</c> (package openssh-client) for interop tests.</summary>
public static class SshKeygen
{
    public sealed record Result(int ExitCode, string Stdout, string Stderr)
    {
        public override string ToString() => $"ssh-keygen exited {ExitCode}; stdout: {Stdout}; stderr: {Stderr}";
    }

    /// <summary>Runs ssh-keygen with <paramref name="arguments"/> and <paramref name="stdin"/>; never throws on a non-zero exit.</summary>
    public static async Task<Result> RunAsync(IEnumerable<string> arguments, byte[]? stdin = null, CancellationToken cancellationToken = default)
    {
        var result = await ProcessRunner.RunAsync(new ProcessCommand("ssh-keygen", arguments) { StandardInput = stdin }, cancellationToken);
        return new Result(result.ExitCode, result.StandardOutput, result.StandardError);
    }

    /// <summary>Runs ssh-keygen and throws with its exit status and output unless it exits 0.</summary>
    public static async Task<string> RunCheckedAsync(IEnumerable<string> arguments, byte[]? stdin = null, CancellationToken cancellationToken = default)
    {
        var result = await RunAsync(arguments, stdin, cancellationToken);
        return result.ExitCode == 0 ? result.Stdout : throw new InvalidOperationException(result.ToString());
    }

    /// <summary>Generates an unencrypted key pair at <paramref name="path"/> (and .pub); returns the public key line.</summary>
    public static async Task<string> GenerateAsync(string path, string type, int? bits = null, CancellationToken cancellationToken = default)
    {
        List<string> args = ["-q", "-t", type, "-N", "", "-C", $"{type}{bits}@test", "-f", path];
        if (bits is not null)
        {
            args.InsertRange(0, ["-b", bits.Value.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        }
        await RunCheckedAsync(args, cancellationToken: cancellationToken);
        return (await File.ReadAllTextAsync(path + ".pub", cancellationToken)).TrimEnd('\n');
    }

    /// <summary><c>ssh-keygen -Y sign -f key -n ns</c> over <paramref name="message"/>; returns the armored signature.</summary>
    public static Task<string> SignAsync(string keyPath, string ns, byte[] message, CancellationToken cancellationToken = default) =>
        RunCheckedAsync(["-Y", "sign", "-f", keyPath, "-n", ns], message, cancellationToken);

    /// <summary>
    /// <c>ssh-keygen -Y verify</c> of <paramref name="armored"/> over <paramref name="message"/> for
    /// <paramref name="principal"/> with one allowed-signers line; the files go to <paramref name="directory"/>.
    /// </summary>
    public static async Task<Result> VerifyAsync(string directory, string principal, string publicKeyLine, string ns, string armored,
        byte[] message, CancellationToken cancellationToken = default)
    {
        var allowed = Path.Combine(directory, $"allowed_signers-{Guid.NewGuid():N}");
        var signature = Path.Combine(directory, $"message-{Guid.NewGuid():N}.sig");
        await File.WriteAllTextAsync(allowed, $"{principal} {publicKeyLine}\n", cancellationToken);
        await File.WriteAllTextAsync(signature, armored, Encoding.ASCII, cancellationToken);
        return await RunAsync(["-Y", "verify", "-f", allowed, "-I", principal, "-n", ns, "-s", signature], message, cancellationToken);
    }

    /// <summary>The <c>SHA256:...</c> fingerprint <c>ssh-keygen -lf</c> prints for a public key file.</summary>
    public static async Task<string> FingerprintAsync(string publicKeyPath, CancellationToken cancellationToken = default)
    {
        var output = await RunCheckedAsync(["-l", "-E", "sha256", "-f", publicKeyPath], cancellationToken: cancellationToken);
        return output.Split(' ')[1];
    }
}
