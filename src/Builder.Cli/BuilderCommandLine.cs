using System.CommandLine;
using Builder.Cli.Commands;

namespace Builder.Cli;

/// <summary>The <c>builder</c> command tree.</summary>
internal static class BuilderCommandLine
{
    public static RootCommand Create()
    {
        var common = new CommonOptions();
        var root = new RootCommand($"""
            builder — submit and follow signed Debian package builds.

            Requests are signed with your SSH key through ssh-keygen -Y sign (ssh-agent and passphrases work).
            Configuration: --url/--user/--key, BUILDER_URL/BUILDER_USER/BUILDER_KEY, or ~/.config/builder/config
            with lines 'url = https://builder.example.org', 'user = alice', 'key = ~/.ssh/id_ed25519'.

            {ExitCodeHelp.Text()}
            """)
        {
            common.Url, common.User, common.Key, common.Json,
        };
        root.Subcommands.Add(SubmitCommand.Create(common));
        root.Subcommands.Add(StatusCommand.Create(common));
        root.Subcommands.Add(QueueCommand.Create(common));
        root.Subcommands.Add(CancelCommand.Create(common));
        root.Subcommands.Add(LogCommand.Create(common));
        root.Subcommands.Add(AclCommand.Create());
        root.Subcommands.Add(new Command("audit", "Off-site audit trail tools") { Audit.AuditVerifyCommand.Create() });
        root.Subcommands.Add(new Command("provenance", "Signed build provenance tools") { Provenance.ProvenanceVerifyCommand.Create() });
        return root;
    }

    /// <summary>Parses and runs; a command-line error is exit code 2 (System.CommandLine alone would return 1).</summary>
    public static async Task<int> RunAsync(string[] args, InvocationConfiguration? configuration = null, CancellationToken cancellationToken = default)
    {
        var parse = Create().Parse(args);
        configuration ??= new InvocationConfiguration();
        if (parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors)
            {
                await configuration.Error.WriteLineAsync($"builder: {error.Message}");
            }
            await configuration.Error.WriteLineAsync("see 'builder --help'");
            return (int)ExitCode.Usage;
        }
        return await parse.InvokeAsync(configuration, cancellationToken);
    }
}
