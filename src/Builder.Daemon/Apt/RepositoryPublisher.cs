using System.Globalization;
using System.Text;
using Builder.Core.Processes;
using Builder.Daemon.Hosting;
using Microsoft.Extensions.Options;

namespace Builder.Daemon.Apt;

/// <summary>
/// Publishes to the pockets' apt repository with reprepro: one distribution per pocket (its Distribution, else its
/// name), <c>includedsc</c> then <c>includedeb</c>, Release files signed with Apt:SignWith. Publishing is idempotent:
/// what the distribution already holds byte for byte is not included again, so a build re-run after a crash never
/// publishes twice, and a publish cut short between two includes is completed by the re-run. Every operation holds
/// the repository's lock (<see cref="RepositoryLock"/>) from its first reprepro call to its last, so the builderd
/// processes sharing a repository (two on one host, say) take turns instead of failing on reprepro's own lockfile.
/// </summary>
internal sealed partial class RepositoryPublisher(IOptions<AptOptions> apt, IOptionsMonitor<PocketsOptions> pockets, ILogger<RepositoryPublisher> logger)
{
    public string BaseDirectory => apt.Value.BaseDirectory;

    public string DistributionOf(string pocket) =>
        pockets.CurrentValue.TryGetValue(pocket, out var p) && p.Distribution is { Length: > 0 } d ? d : pocket;

    /// <summary>Writes conf/distributions for every configured pocket and exports empty indices.</summary>
    public async Task ConfigureAsync(CancellationToken cancellationToken)
    {
        var o = apt.Value;
        await using var held = await RepositoryLock.AcquireAsync(o.BaseDirectory, cancellationToken);
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
        await using var held = await RepositoryLock.AcquireAsync(BaseDirectory, cancellationToken);
        return await ListSourceVersionsAsync(pocket, package, cancellationToken);
    }

    private async Task<IReadOnlyList<string>> ListSourceVersionsAsync(string pocket, string package, CancellationToken cancellationToken)
    {
        var output = await RunAsync(["--list-format", "${$source}|${$sourceversion}|${$architecture}\\n", "list", DistributionOf(pocket), package], cancellationToken);
        return [.. output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split('|')).Where(f => f.Length == 3 && f[0] == package)
            .Select(f => f[1]).Distinct(StringComparer.Ordinal)];
    }

    /// <summary>
    /// Includes a source package and its binaries; a no-op when exactly these are there already. Whatever of it is
    /// missing (an earlier run stopped between includes) is included. A binary of this version that is there with other
    /// bytes (an interrupted earlier attempt of a build that is not reproducible) is replaced with the whole source
    /// version, so the distribution serves what this run built and its build-end audit record names.
    /// </summary>
    /// <returns>true when something was included, false when everything was already published.</returns>
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
        await using var held = await RepositoryLock.AcquireAsync(BaseDirectory, cancellationToken);
        var dist = DistributionOf(pocket);
        var sourcePresent = (await ListSourceVersionsAsync(pocket, package, cancellationToken)).Contains(version);
        var binaries = new List<(string Path, BinaryState State)>();
        foreach (var path in debPaths.Where(p => p.EndsWith(".deb", StringComparison.Ordinal) || p.EndsWith(".udeb", StringComparison.Ordinal)))
        {
            binaries.Add((path, await BinaryStateAsync(dist, package, path, cancellationToken)));
        }
        if (binaries.Any(b => b.State == BinaryState.Different))
        {
            Log.Replacing(logger, package, version, pocket);
            await RunAsync(["removesrc", dist, package, version], cancellationToken);
            sourcePresent = false;
            binaries = [.. binaries.Select(b => (b.Path, BinaryState.Absent))];
        }
        if (sourcePresent && binaries.All(b => b.State == BinaryState.Same))
        {
            Log.AlreadyPublished(logger, package, version, pocket);
            return false;
        }
        if (!sourcePresent)
        {
            await RunAsync(["--section", section, "--priority", priority, "includedsc", dist, dscPath], cancellationToken);
        }
        foreach (var (path, _) in binaries.Where(b => b.State == BinaryState.Absent))
        {
            await RunAsync([.. MissingOverrides(path, section, priority), path.EndsWith(".udeb", StringComparison.Ordinal) ? "includeudeb" : "includedeb", dist, path],
                cancellationToken);
        }
        Log.Published(logger, package, version, pocket, binaries.Count(b => b.State == BinaryState.Absent));
        return true;
    }

    /// <summary>
    /// reprepro refuses a binary without Section or Priority, and its --section/--priority replace the binary's own:
    /// so the source's defaults are passed only for a field the binary lacks (read with the bounded reader that already
    /// checked the file), and a build whose debian/control gives its binaries no Priority still publishes them all.
    /// </summary>
    private static string[] MissingOverrides(string debPath, string section, string priority)
    {
        Builder.Vm.Output.Binaries.DebControl control;
        try
        {
            control = Builder.Vm.Output.Binaries.DebReader.Read(debPath);
        }
        catch (Builder.Vm.Output.Binaries.DebFormatException e)
        {
            throw new PublishException(e.Message, e);
        }
        return [.. string.IsNullOrEmpty(control["Section"]) ? ["--section", section] : Array.Empty<string>(),
            .. string.IsNullOrEmpty(control["Priority"]) ? ["--priority", priority] : Array.Empty<string>()];
    }

    private enum BinaryState
    {
        Absent,
        Same,
        Different,
    }

    /// <summary>
    /// Whether the distribution holds this binary's name, version and architecture, and if so with the same bytes. A
    /// binary package name another source already has in the distribution is refused (as the Debian archive refuses a
    /// binary "owned" by another source): no source can take over, say, libc6 in its pocket by declaring it.
    /// </summary>
    private async Task<BinaryState> BinaryStateAsync(string dist, string package, string debPath, CancellationToken cancellationToken)
    {
        // Debian file names are name_version_arch.(u)deb, the version without its epoch; no field contains '_'.
        var fields = Path.GetFileNameWithoutExtension(debPath).Split('_');
        if (fields.Length != 3)
        {
            throw new PublishException($"{Path.GetFileName(debPath)} is not named name_version_arch.deb");
        }
        var type = debPath.EndsWith(".udeb", StringComparison.Ordinal) ? "udeb" : "deb";
        var output = await RunAsync(["-T", type, "--list-format", "${version}|${architecture}|${$filekey}|${$source}\\n", "list", dist, fields[0]], cancellationToken);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split('|')).Where(f => f.Length == 4).ToList();
        if (lines.FirstOrDefault(f => f[3] != package) is { } owned)
        {
            throw new PublishException(
                $"{Path.GetFileName(debPath)}: package '{fields[0]}' belongs to source '{owned[3]}' in {dist}; {package} cannot publish it (an admin removes it from the distribution first if it really moves)");
        }
        foreach (var f in lines)
        {
            if (f[1] != fields[2] || StripEpoch(f[0]) != fields[1])
            {
                continue;
            }
            var published = Path.Combine(BaseDirectory, f[2]);
            return File.Exists(published) && await Sha256Async(published, cancellationToken) == await Sha256Async(debPath, cancellationToken)
                ? BinaryState.Same
                : BinaryState.Different;
        }
        return BinaryState.Absent;
    }

    private static string StripEpoch(string version) => version.IndexOf(':', StringComparison.Ordinal) is var i and >= 0 ? version[(i + 1)..] : version;

    private static async Task<string> Sha256Async(string path, CancellationToken cancellationToken)
    {
        await using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(await System.Security.Cryptography.SHA256.HashDataAsync(stream, cancellationToken));
    }

    /// <summary>Copies a source package and all its binaries from one pocket to another (the cross-pocket copy).</summary>
    public async Task<bool> CopyAsync(string fromPocket, string toPocket, string package, string version, CancellationToken cancellationToken)
    {
        await using var held = await RepositoryLock.AcquireAsync(BaseDirectory, cancellationToken);
        if ((await ListSourceVersionsAsync(toPocket, package, cancellationToken)).Contains(version))
        {
            return false;
        }
        if (!(await ListSourceVersionsAsync(fromPocket, package, cancellationToken)).Contains(version))
        {
            throw new PublishException($"{package} {version} is not in {DistributionOf(fromPocket)}; nothing to copy");
        }
        var binaries = await RunAsync(["--list-format", "${package}\\n", "listfilter", DistributionOf(fromPocket),
            $"$Source (== {package}), $SourceVersion (== {version})"], cancellationToken);
        foreach (var name in binaries.Split('\n', StringSplitOptions.RemoveEmptyEntries).Distinct(StringComparer.Ordinal))
        {
            var owners = await RunAsync(["--list-format", "${$source}\\n", "list", DistributionOf(toPocket), name], cancellationToken);
            if (owners.Split('\n', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault(o => o != package) is { } owner)
            {
                throw new PublishException($"package '{name}' belongs to source '{owner}' in {DistributionOf(toPocket)}; copying {package} {version} would take it over");
            }
        }
        await RunAsync(["copysrc", DistributionOf(toPocket), DistributionOf(fromPocket), package, version], cancellationToken);
        Log.Copied(logger, package, version, fromPocket, toPocket);
        return true;
    }

    /// <summary>
    /// The files a pocket's distribution serves for one source version: its .dsc and every binary built from it (by
    /// reprepro's own $Source, so also binaries whose control has no Source field), as paths under the base directory.
    /// What a copy's build-end record lists with their sha256.
    /// </summary>
    public async Task<IReadOnlyList<string>> PublishedFilesAsync(string pocket, string package, string version, CancellationToken cancellationToken)
    {
        await using var held = await RepositoryLock.AcquireAsync(BaseDirectory, cancellationToken);
        var output = await RunAsync(["--list-format", "${$filekey}\\n", "listfilter", DistributionOf(pocket),
            $"$Source (== {package}), $SourceVersion (== {version})"], cancellationToken);
        return [.. output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)
            .Select(key => Path.Combine(BaseDirectory, key))];
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
            // The signing key: GnuPG's home, Apt:GnupgHome or the daemon user's ~/.gnupg (HOME from the account database).
            Environment = { ["HOME"] = UserAccount.Home },
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

        [LoggerMessage(8604, LogLevel.Warning, "{Package} {Version} is in {Pocket} with other binaries (an interrupted earlier attempt); replacing them")]
        public static partial void Replacing(ILogger logger, string package, string version, string pocket);
    }
}
