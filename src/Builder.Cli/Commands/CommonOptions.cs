using System.CommandLine;

namespace Builder.Cli.Commands;

/// <summary>Options every command understands (declared once on the root, recursive).</summary>
internal sealed class CommonOptions
{
    public Option<string?> Url { get; } = new("--url") { Description = "Server URL (else BUILDER_URL, else 'url' in ~/.config/builder/config)", Recursive = true };

    public Option<string?> User { get; } = new("--user") { Description = "Your principal (else BUILDER_USER, 'user' in the config file, the login name)", Recursive = true };

    public Option<string?> Key { get; } = new("--key") { Description = "SSH key to sign with: private key, or public key whose private half is in ssh-agent (else BUILDER_KEY, 'key', ~/.ssh/id_ed25519, id_ecdsa, id_rsa)", Recursive = true };

    public Option<bool> Json { get; } = new("--json") { Description = "Print the server's JSON instead of text (read commands)", Recursive = true };

    public Client.ClientSettings Settings(ParseResult parse) =>
        Client.ClientSettings.Resolve(parse.GetValue(Url), parse.GetValue(User), parse.GetValue(Key));
}
