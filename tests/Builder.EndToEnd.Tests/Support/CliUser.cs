using System.CommandLine;
using System.Globalization;
using System.Text.RegularExpressions;
using Builder.Cli;
using Builder.Daemon.Tests.Support;
using Builder.Tests.Common;
using Builder.Tests.Common.Signing;

namespace Builder.EndToEnd.Tests.Support;

/// <summary>What one <c>builder</c> invocation printed and returned.</summary>
public sealed partial record CliResult(int Code, string Out, string Err)
{
    [GeneratedRegex(@"^build (\d+) queued: ", RegexOptions.Multiline)]
    private static partial Regex Queued();

    /// <summary>The id from submit's "build N queued: …" line.</summary>
    public long QueuedBuildId
    {
        get
        {
            var match = Queued().Match(Out);
            Assert.True(match.Success, $"no 'build N queued' line; exit {Code}\nstdout:\n{Out}\nstderr:\n{Err}");
            return long.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        }
    }

    public override string ToString() => $"exit {Code}\nstdout:\n{Out}\nstderr:\n{Err}";
}

/// <summary>
/// The <c>builder</c> CLI run in-process (<see cref="BuilderCommandLine.RunAsync"/>) as one principal against a daemon,
/// signing through ssh-keygen with a private key file, as a developer's machine does.
/// </summary>
public sealed class CliUser
{
    private readonly Uri _url;
    private readonly string _user;

    public CliUser(DaemonHost host, string user, TestSigningKey key)
    {
        _url = host.BaseAddress;
        _user = user;
        KeyPath = Path.Combine(TestEnvironment.NewTempDirectory("cli-" + user), "id_ed25519");
        key.WritePrivateKeyFile(KeyPath);
    }

    public string KeyPath { get; }

    public async Task<CliResult> RunAsync(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        string[] common = ["--url", _url.ToString(), "--user", _user, "--key", KeyPath];
        var code = await BuilderCommandLine.RunAsync([.. args, .. common], new InvocationConfiguration { Output = output, Error = error });
        return new CliResult(code, output.ToString(), error.ToString());
    }
}
