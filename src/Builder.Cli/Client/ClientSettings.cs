using System.Globalization;

namespace Builder.Cli.Client;

/// <summary>
/// Where the CLI finds the server, the principal and the key: command-line options, then BUILDER_URL / BUILDER_USER /
/// BUILDER_KEY, then ~/.config/builder/config (<c>url = …</c>, <c>user = …</c>, <c>key = …</c>), then defaults
/// (the login name; ~/.ssh/id_ed25519, id_ecdsa, id_rsa).
/// </summary>
internal sealed record ClientSettings(string? Url, string? User, string? Key)
{
    public static string ConfigPath =>
        Path.Combine(Environment.GetEnvironmentVariable("XDG_CONFIG_HOME") is { Length: > 0 } x ? x : Path.Combine(Home, ".config"), "builder", "config");

    private static string Home => Environment.GetEnvironmentVariable("HOME") ?? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);

    /// <exception cref="CliException">the config file has a bad line (named with its number).</exception>
    public static ClientSettings Resolve(string? url, string? user, string? key)
    {
        var file = ReadConfigFile(ConfigPath);
        return new ClientSettings(
            url ?? Env("BUILDER_URL") ?? file.GetValueOrDefault("url"),
            user ?? Env("BUILDER_USER") ?? file.GetValueOrDefault("user") ?? Environment.UserName,
            key ?? Env("BUILDER_KEY") ?? file.GetValueOrDefault("key") ?? DefaultKey());
    }

    public Uri RequireUrl() =>
        Url is { Length: > 0 } u && Uri.TryCreate(u.EndsWith('/') ? u : u + "/", UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
            ? uri
            : throw new CliException(ExitCode.Config, Url is null
                ? $"no server URL: use --url, BUILDER_URL or 'url = https://…' in {ConfigPath}"
                : $"server URL '{Url}' is not an http(s) URL");

    public string RequireUser() => User is { Length: > 0 } u ? u : throw new CliException(ExitCode.Config, "no principal: use --user, BUILDER_USER or 'user = …' in " + ConfigPath);

    public string RequireKey() => Key is { Length: > 0 } k
        ? (File.Exists(k) ? k : throw new CliException(ExitCode.Config, $"key file {k} does not exist"))
        : throw new CliException(ExitCode.Config, $"no SSH key: use --key, BUILDER_KEY or 'key = …' in {ConfigPath} (looked for ~/.ssh/id_ed25519, id_ecdsa, id_rsa)");

    private static string? Env(string name) => Environment.GetEnvironmentVariable(name) is { Length: > 0 } v ? v : null;

    private static string? DefaultKey() =>
        new[] { "id_ed25519", "id_ecdsa", "id_rsa" }.Select(n => Path.Combine(Home, ".ssh", n)).FirstOrDefault(File.Exists);

    internal static Dictionary<string, string> ReadConfigFile(string path)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!File.Exists(path))
        {
            return values;
        }
        var lineNo = 0;
        foreach (var raw in File.ReadLines(path))
        {
            lineNo++;
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }
            var eq = line.IndexOf('=', StringComparison.Ordinal);
            var name = eq > 0 ? line[..eq].Trim() : "";
            if (name is not ("url" or "user" or "key"))
            {
                throw new CliException(ExitCode.Config, string.Create(CultureInfo.InvariantCulture,
                    $"{path} line {lineNo}: expected 'url = …', 'user = …' or 'key = …'"));
            }
            var value = line[(eq + 1)..].Trim();
            values[name] = value.StartsWith("~/", StringComparison.Ordinal) ? Path.Combine(Home, value[2..]) : value;
        }
        return values;
    }
}
