using System.Globalization;
using System.Text;
using Builder.Core.Processes;
using Builder.Daemon.Hosting;
using Microsoft.Extensions.Options;

namespace Builder.Daemon.Publishing;

/// <summary>
/// Publishes to the pockets' apt repository with reprepro: one distribution per pocket (its Distribution, else its
/// name), <c>includedsc</c> then <c>includedeb</c>, Release files signed with Apt:SignWith. Publishing is idempotent:
/// a version already in the distribution is not included again, so a build re-run after a crash never publishes twice.
/// </summary>
internal sealed partial class RepositoryPublisher(IOptions<AptOptions> apt, IOptionsMonitor<PocketsOptions> pockets, ILogger<RepositoryPublisher> logger)
{
    private readonly SemaphoreSlim _lock = new(1, 1);

    public string BaseDirectory => apt.Value.BaseDirectory;

    public string DistributionOf(string pocket) =>
        pockets.CurrentValue.TryGetValue(pocket, out var p) && p.Distribution is { Length: > 0 } d ? d : pocket;

    /// <summary>Writes conf/distributions for every configured pocket and exports empty indices.</summary>
    public async Task ConfigureAsync(CancellationToken cancellationToken)
    {
        var o = apt.Value;
        Directory.CreateDirectory(Path.Combine(o.BaseDirectory, "conf"));
        var sb = new StringBuilder();
        foreach (var pocket in pockets.CurrentValue.Keys.Order(StringComparer.Ordinal))
        {
            sb.Append(CultureInfo.InvariantCulture, $"Origin: {o.Origin}\n");
            sb.Append(CultureInfo.InvariantCulture, $"Label: {o.Label}\n");
            sb.Append(CultureInfo.InvariantCulture, $"Codename: {DistributionOf(pocket)}\n");
            sb.Append(CultureInfo.InvariantCulture, $"Architectures: {o.Architectures} source\n");
            sb.Append("Components: main\n");
            sb.Append(CultureInfo.InvariantCulture, $"Description: Builder pocket {pocket}\n");
            if (o.SignWith.Length > 0)
            {
                sb.Append(CultureInfo.InvariantCulture, $"SignWith: {o.SignWith}\n");
            }
            sb.Append('\n');
        }
        await File.WriteAllTextAsync(Path.Combine(o.BaseDirectory, "conf", "distributions"), sb.ToString(), cancellationToken);
        await RunAsync(["export"], cancellationToken);
    }

    /// <summary>The versions of a source package in a pocket's distribution (empty when absent).</summary>
    public async Task<IReadOnlyList<string>> SourceVersionsAsync(string pocket, string package, CancellationToken cancellationToken)
    {
        var output = await RunAsync(["--list-format", "${$source}|${$sourceversion}|${$architecture}\\n", "list", DistributionOf(pocket), package], cancellationToken);
        return [.. output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split('|')).Where(f => f.Length == 3 && f[0] == package)
            .Select(f => f[1]).Distinct(StringComparer.Ordinal)];
    }

    /// <summary>Includes a source package and its binaries; a no-op when that version is already there.</summary>
    /// <returns>true when something was included, false when the version was already published.</returns>
    /// <param name="pocket">the pocket (its distribution receives the upload).</param>
    /// <param name="package">the source package name.</param>
    /// <param name="version">the source version.</param>
    /// <param name="dscPath">the .dsc, next to its tarballs.</param>
    /// <param name="debPaths">the binaries (.deb, .udeb) built from it.</param>
    /// <param name="cancellationToken">stops reprepro.</param>
    /// <param name="section">the source's Section (debian/control); a .dsc does not carry it.</param>
    /// <param name="priority">the source's Priority, likewise.</param>
    public async Task<bool> PublishAsync(string pocket, string package, string version, string dscPath, IReadOnlyList<string> debPaths,
        CancellationToken cancellationToken, string section = "misc", string priority = "optional")
    {
        await _lock.WaitAsync(cancellationToken);
        try
        {
            if ((await SourceVersionsAsync(pocket, package, cancellationToken)).Contains(version))
            {
                Log.AlreadyPublished(logger, package, version, pocket);
                return false;
            }
            var dist = DistributionOf(pocket);
            await RunAsync(["--section", section, "--priority", priority, "includedsc", dist, dscPath], cancellationToken);
            foreach (var deb in debPaths.Where(p => p.EndsWith(".deb", StringComparison.Ordinal)))
            {
                await RunAsync(["includedeb", dist, deb], cancellationToken);
            }
            foreach (var udeb in debPaths.Where(p => p.EndsWith(".udeb", StringComparison.Ordinal)))
            {
                await RunAsync(["includeudeb", dist, udeb], cancellationToken);
            }
            Log.Published(logger, package, version, pocket, debPaths.Count);
            return true;
        }
        finally
        {
            _lock.Release();
        }
    }

    /// <summary>Copies a source package and all its binaries from one pocket to another (the cross-pocket copy).</summary>
    public async Task<bool> CopyAsync(string fromPocket, string toPocket, string package, string version, CancellationToken cancellationToken)
    {
        await _lock.WaitAsync(cancellationToken);
        try
        {
            if ((await SourceVersionsAsync(toPocket, package, cancellationToken)).Contains(version))
            {
                return false;
            }
            if (!(await SourceVersionsAsync(fromPocket, package, cancellationToken)).Contains(version))
            {
                throw new PublishException($"{package} {version} is not in {DistributionOf(fromPocket)}; nothing to copy");
            }
            await RunAsync(["copysrc", DistributionOf(toPocket), DistributionOf(fromPocket), package, version], cancellationToken);
            Log.Copied(logger, package, version, fromPocket, toPocket);
            return true;
        }
        finally
        {
            _lock.Release();
        }
    }

    private async Task<string> RunAsync(IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        var o = apt.Value;
        // --noskipold: re-export even when nothing seems changed, so a crashed earlier export is repaired.
        var command = new ProcessCommand("reprepro", ["--basedir", o.BaseDirectory, "--noskipold", .. args])
        {
            DisplayName = $"reprepro {string.Join(' ', args.Select(Path.GetFileName))}",
            Timeout = o.Timeout,
            // `list` prints a line per binary package and architecture; keep all of a large source's.
            MaxOutput = 1 << 20,
        };
        if (o.GnupgHome is { Length: > 0 } home)
        {
            command.Environment["GNUPGHOME"] = home;
        }
        try
        {
            return (await ProcessRunner.RunCheckedAsync(command, cancellationToken)).StandardOutput;
        }
        catch (ProcessException e)
        {
            throw new PublishException(e.Message, e);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(8601, LogLevel.Information, "Published {Package} {Version} to {Pocket} ({BinaryCount} binaries)")]
        public static partial void Published(ILogger logger, string package, string version, string pocket, int binaryCount);

        [LoggerMessage(8602, LogLevel.Information, "{Package} {Version} is already in {Pocket}; not published again")]
        public static partial void AlreadyPublished(ILogger logger, string package, string version, string pocket);

        [LoggerMessage(8603, LogLevel.Information, "Copied {Package} {Version} from {FromPocket} to {ToPocket}")]
        public static partial void Copied(ILogger logger, string package, string version, string fromPocket, string toPocket);
    }
}
