using System.Globalization;
using Builder.Core.Processes;
using Builder.Daemon.Hosting;
using Microsoft.Extensions.Options;

namespace Builder.Daemon.Apt;

/// <summary>
/// Which pocket repositories a build may take build-dependencies from: its own pocket's, then those its
/// <c>Pockets:&lt;p&gt;:BuildDepsFrom</c> names, each a signed APT source checked against the repository's public key
/// (exported once from Apt:GnupgHome). With Apt:SignWith empty the repository is unsigned and no pocket is offered:
/// builds take build-dependencies from the mirror only, since an unsigned local repository would have to be trusted
/// blindly.
/// </summary>
internal sealed partial class PocketBuildDepSources(
    IOptions<AptOptions> apt, IOptions<BuildDepsOptions> buildDeps, IOptionsMonitor<PocketsOptions> pockets, RepositoryPublisher publisher,
    ILogger<PocketBuildDepSources> logger)
{
    private readonly SemaphoreSlim _export = new(1, 1);
    private string? _keyring;

    /// <summary>The sources for a build in <paramref name="pocket"/>, and a sentence for the build log when some are left out.</summary>
    public async Task<(IReadOnlyList<PocketAptSource> Sources, string? Note)> ForAsync(string pocket, CancellationToken cancellationToken)
    {
        var trusted = new List<string> { pocket };
        trusted.AddRange(pockets.CurrentValue.GetValueOrDefault(pocket)?.BuildDepsFrom ?? []);
        if (apt.Value.SignWith.Length == 0)
        {
            return ([], "the pockets' repositories are unsigned (Apt:SignWith is empty): build-deps come from the mirror only");
        }
        var keyring = await KeyringAsync(cancellationToken);
        var sources = new List<PocketAptSource>();
        foreach (var name in trusted)
        {
            var dist = publisher.DistributionOf(name);
            // Nothing published there yet (no signed index to read): nothing to install from it either.
            if (File.Exists(Path.Combine(publisher.BaseDirectory, "dists", dist, "InRelease")))
            {
                sources.Add(new PocketAptSource(name, publisher.BaseDirectory, dist, keyring));
            }
        }
        return (sources, null);
    }

    /// <summary>The repository's public key as a keyring file apt's signed-by reads (world-readable: apt's methods run as _apt).</summary>
    private async Task<string> KeyringAsync(CancellationToken cancellationToken)
    {
        await _export.WaitAsync(cancellationToken);
        try
        {
            if (_keyring is not null && File.Exists(_keyring))
            {
                return _keyring;
            }
            var o = apt.Value;
            var dir = Path.Combine(buildDeps.Value.CacheDirectory, "keyrings");
            Directory.CreateDirectory(dir);
            File.SetUnixFileMode(dir, (UnixFileMode)0b111_101_101);
            var path = Path.Combine(dir, "repository.gpg");
            // A name of this process's own: two builderd on one host share the cache directory, and with one shared
            // name the second deleted or moved the first's half-written export ("gpg exported no key", a failed build).
            var tmp = string.Create(CultureInfo.InvariantCulture, $"{path}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
            var command = new ProcessCommand("gpg", ["--batch", "--no-tty", "--quiet", "--export", "--output", tmp, "--", o.SignWith])
            {
                DisplayName = "gpg --export (the repository key Apt:SignWith)",
                Timeout = TimeSpan.FromMinutes(1),
                // Apt:GnupgHome, else the daemon user's ~/.gnupg (HOME from the account database, not the daemon's HOME).
                Environment = { ["HOME"] = UserAccount.Home },
            };
            if (o.GnupgHome is { Length: > 0 } home)
            {
                command.Environment["GNUPGHOME"] = home;
            }
            try
            {
                try
                {
                    await ProcessRunner.RunCheckedAsync(command, cancellationToken);
                }
                catch (ProcessException e)
                {
                    throw new BuildDepsException($"cannot export the repository's public key: {e.Message}", e);
                }
                if (!File.Exists(tmp) || new FileInfo(tmp).Length == 0)
                {
                    throw new BuildDepsException($"gpg exported no key for Apt:SignWith '{o.SignWith}'; is it in Apt:GnupgHome?");
                }
                File.SetUnixFileMode(tmp, (UnixFileMode)0b110_100_100);
                File.Move(tmp, path, overwrite: true);
            }
            finally
            {
                // Gone after the move; what a failed export left must not pile up in the cache.
                File.Delete(tmp);
            }
            Log.KeyringExported(logger, path);
            _keyring = path;
            return path;
        }
        finally
        {
            _export.Release();
        }
    }

    private static partial class Log
    {
        [LoggerMessage(8402, LogLevel.Information, "Exported the repository's public key to {Keyring} for the pockets' signed APT sources")]
        public static partial void KeyringExported(ILogger logger, string keyring);
    }
}
