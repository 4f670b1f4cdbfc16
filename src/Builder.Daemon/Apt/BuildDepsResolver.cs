using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Builder.Core.Audit;
using Builder.Core.Files;
using Builder.Core.Processes;
using Microsoft.Extensions.Options;

namespace Builder.Daemon.Apt;

/// <summary>
/// Resolves a source package's build dependencies on the host, because the VM has no network: apt runs with a
/// private configuration (the host's apt.conf.d, lists and cache are never used or changed), judges what is missing
/// against the VM image's own dpkg status, and downloads exactly those .debs. apt is the solver; nothing here
/// second-guesses it. The result is the list the audit record cites and the files the job disk carries.
/// </summary>
internal sealed partial class BuildDepsResolver(IOptions<BuildDepsOptions> options, ILogger<BuildDepsResolver> logger)
{
    // The simulation's plan is one line a package (~90 characters): this is room for ten thousand.
    private const int MaxAptOutput = 1 << 20;

    // "Inst zlib1g-dev (1:1.2.13.dfsg-1 Debian:12.11/stable [amd64])": the simulation's plan, one package a line.
    [GeneratedRegex(@"^Inst (?<name>[a-z0-9][a-z0-9+.-]+)(?::(?<qarch>[a-z0-9-]+))? (?:\[[^\]]*\] )?\((?<version>[^ ]+) .*\[(?<arch>[a-z0-9-]+)\]\)", RegexOptions.Multiline)]
    private static partial Regex InstLine();

    private const string ExtraSourcesFile = "90-builder.list";

    /// <param name="dscPath">the source package's .dsc (its Build-Depends are what apt resolves).</param>
    /// <param name="imageStatusFile">the VM image's /var/lib/dpkg/status: what is installed in the guest already.</param>
    /// <param name="pockets">the pocket repositories this build may take build-dependencies from, its own first.</param>
    /// <param name="outputDirectory">where the needed .debs are copied (the job disk's contents).</param>
    /// <param name="cancellationToken">stops apt.</param>
    public async Task<IReadOnlyList<ResolvedDependency>> ResolveAsync(string dscPath, string imageStatusFile, IReadOnlyList<PocketAptSource> pockets,
        string outputDirectory, CancellationToken cancellationToken)
    {
        var extraSources = pockets.Select(p => p.Line).ToList();
        var root = RootFor(extraSources);
        // Builds with the same sources share the root: its files are (re)written under its lock, never beside apt.
        using (await FileLock.AcquireAsync(Path.Combine(root, "lock"), cancellationToken))
        {
            WriteRootConfiguration(root, extraSources);
            await UpdateListsAsync(root, imageStatusFile, extraSources.Count > 0, cancellationToken);
            string plan;
            try
            {
                plan = await RunAptAsync(root, imageStatusFile, ["-s", "build-dep", "--", Path.GetFullPath(dscPath)], cancellationToken);
            }
            catch (BuildDepsException e)
            {
                // apt names the .dsc by its path on this host ("builddeps:/var/lib/…/hello_1.0.dsc"); the log and the mail need only its name.
                throw new BuildDepsException(e.Message.Replace(Path.GetFullPath(dscPath), Path.GetFileName(dscPath), StringComparison.Ordinal), e);
            }
            var packages = InstLine().Matches(plan).Select(m => (Name: m.Groups["name"].Value, Version: m.Groups["version"].Value, Arch: m.Groups["arch"].Value)).ToList();
            if (packages.Count > 0)
            {
                await RunAptAsync(root, imageStatusFile, ["--download-only", "build-dep", "--", Path.GetFullPath(dscPath)], cancellationToken);
            }
            var pocketIndexes = packages.Count > 0 && pockets.Count > 0 ? await ReadPocketIndexesAsync(root, imageStatusFile, pockets, cancellationToken) : [];
            Directory.CreateDirectory(outputDirectory);
            var result = new List<ResolvedDependency>();
            foreach (var (name, version, arch) in packages)
            {
                // apt names cached files name_version_arch.deb with the epoch colon escaped.
                var fileName = $"{name}_{version.Replace(":", "%3a", StringComparison.Ordinal)}_{arch}.deb";
                var cached = Path.Combine(root, "var", "cache", "apt", "archives", fileName);
                if (!File.Exists(cached))
                {
                    throw new BuildDepsException($"apt planned {name} {version} but {fileName} is not in the download cache");
                }
                var target = Path.Combine(outputDirectory, $"{name}_{version.Replace(':', '+')}_{arch}.deb");
                File.Copy(cached, target, overwrite: true);
                await using var stream = File.OpenRead(target);
                var sha = Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, cancellationToken));
                var origin = pocketIndexes.FirstOrDefault(i => i.Files.Contains(new IndexedFile(name, version, arch, sha)))?.Source.Origin ?? AuditDependencyOrigin.Mirror;
                result.Add(new ResolvedDependency(name, version, arch, Path.GetFileName(target), stream.Length, sha, origin));
            }
            Log.Resolved(logger, Path.GetFileName(dscPath), result.Count, result.Count(d => d.Origin != AuditDependencyOrigin.Mirror));
            return result;
        }
    }

    private sealed record IndexedFile(string Name, string Version, string Architecture, string Sha256);

    private sealed record PocketIndex(PocketAptSource Source, HashSet<IndexedFile> Files);

    /// <summary>
    /// What each pocket source's Packages index (as apt fetched and verified it for this resolution) lists, in the
    /// order of <paramref name="pockets"/>: a downloaded file is from the first pocket whose index lists exactly its
    /// name, version, architecture and sha256. apt's own indextargets names the index files.
    /// </summary>
    private async Task<IReadOnlyList<PocketIndex>> ReadPocketIndexesAsync(string root, string status, IReadOnlyList<PocketAptSource> pockets,
        CancellationToken cancellationToken)
    {
        var targets = await RunAptAsync(root, status, ["indextargets", "--format", "$(RELEASE)\t$(REPO_URI)\t$(FILENAME)", "Identifier: Packages"], cancellationToken);
        var lines = targets.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split('\t')).Where(f => f.Length == 3).ToList();
        var indexes = new List<PocketIndex>();
        foreach (var pocket in pockets)
        {
            var files = new HashSet<IndexedFile>();
            foreach (var f in lines.Where(f => f[0] == pocket.Distribution && f[1] == pocket.RepositoryUri))
            {
                if (!File.Exists(f[2]))
                {
                    // apt keeps no list for an index the repository does not have (an architecture nothing was published for).
                    continue;
                }
                await ReadIndexAsync(f[2], files, cancellationToken);
            }
            indexes.Add(new PocketIndex(pocket, files));
        }
        return indexes;
    }

    /// <summary>The Package, Version, Architecture and SHA256 of every stanza of an uncompressed Packages file.</summary>
    private static async Task ReadIndexAsync(string path, HashSet<IndexedFile> files, CancellationToken cancellationToken)
    {
        string? name = null, version = null, arch = null, sha = null;
        using var reader = new StreamReader(path, Encoding.UTF8);
        while (true)
        {
            var line = await reader.ReadLineAsync(cancellationToken);
            if (string.IsNullOrEmpty(line))
            {
                if (name is not null && version is not null && arch is not null && sha is not null)
                {
                    files.Add(new IndexedFile(name, version, arch, sha));
                }
                name = version = arch = sha = null;
                if (line is null)
                {
                    return;
                }
                continue;
            }
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0 || line[0] is ' ' or '\t')
            {
                continue;
            }
            var value = line[(colon + 1)..].Trim();
            switch (line[..colon])
            {
                case "Package": name = value; break;
                case "Version": version = value; break;
                case "Architecture": arch = value; break;
                case "SHA256": sha = value.ToLowerInvariant(); break;
            }
        }
    }

    /// <summary>The private APT root for this set of sources: one per distinct configuration, shared by builds.</summary>
    private string RootFor(IReadOnlyList<string> extraSources)
    {
        var o = options.Value;
        var sources = new StringBuilder();
        foreach (var file in o.SourceFiles)
        {
            sources.Append(file).Append('\n').Append(File.ReadAllText(file)).Append('\n');
        }
        foreach (var line in extraSources)
        {
            sources.Append(line).Append('\n');
        }
        var key = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(sources.Append(o.Architecture).ToString())))[..16];
        var root = Path.Combine(o.CacheDirectory, key);
        Directory.CreateDirectory(root);
        return root;
    }

    /// <summary>The root's directories and sources (the lock on the root is held).</summary>
    private void WriteRootConfiguration(string root, IReadOnlyList<string> extraSources)
    {
        var o = options.Value;
        foreach (var dir in new[] { "etc/apt/apt.conf.d", "etc/apt/preferences.d", "etc/apt/sources.list.d", "etc/apt/trusted.gpg.d",
            "var/lib/apt/lists/partial", "var/cache/apt/archives/partial" })
        {
            Directory.CreateDirectory(Path.Combine(root, dir));
        }
        for (var i = 0; i < o.SourceFiles.Count; i++)
        {
            var name = Path.GetFileName(o.SourceFiles[i]);
            File.Copy(o.SourceFiles[i], Path.Combine(root, "etc/apt/sources.list.d", $"{i:D2}-{name}"), overwrite: true);
        }
        File.WriteAllText(Path.Combine(root, "etc/apt/sources.list.d", ExtraSourcesFile), string.Join('\n', extraSources) + "\n");
        File.WriteAllText(Path.Combine(root, "etc/apt/sources.list"), "");
        // APT_CONFIG names this file: the host's /etc/apt/apt.conf is never read; a proxy is the one thing it may hold.
        File.WriteAllText(Path.Combine(root, "etc/apt/apt.conf"),
            o.Proxy.Length == 0 ? "" : $"Acquire::http::Proxy \"{o.Proxy}\";\nAcquire::https::Proxy \"{o.Proxy}\";\n");
    }

    /// <summary>
    /// The mirror's lists are refreshed when older than BuildDeps:ListsMaxAge; the build's own sources (the pocket's
    /// repository on local disk, which changes with every publish) every time, so a package published a minute ago
    /// already satisfies the next build.
    /// </summary>
    private async Task UpdateListsAsync(string root, string status, bool hasExtraSources, CancellationToken cancellationToken)
    {
        var stamp = Path.Combine(root, "lists.stamp");
        if (File.Exists(stamp) && DateTime.UtcNow - File.GetLastWriteTimeUtc(stamp) < options.Value.ListsMaxAge)
        {
            if (hasExtraSources)
            {
                // Only 90-builder.list; List-Cleanup off keeps the mirror's lists that this run does not mention.
                await RunAptAsync(root, status,
                    ["-o", $"Dir::Etc::SourceList={root}/etc/apt/sources.list.d/{ExtraSourcesFile}", "-o", "Dir::Etc::SourceParts=-",
                     "-o", "APT::Get::List-Cleanup=false", "update"], cancellationToken);
            }
            return;
        }
        await RunAptAsync(root, status, ["update"], cancellationToken);
        await File.WriteAllTextAsync(stamp, "", cancellationToken);
    }

    private async Task<string> RunAptAsync(string root, string status, IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        var o = options.Value;
        // Every directory apt uses points into the private root; Dir::Etc::Parts there is empty, so the host's
        // apt.conf.d (hooks that delete archives, proxies, …) never applies.
        string[] config =
        [
            $"Dir::Etc={root}/etc/apt/", "Dir::Etc::Parts=apt.conf.d", "Dir::Etc::PreferencesParts=preferences.d",
            $"Dir::State={root}/var/lib/apt/", $"Dir::State::status={status}", $"Dir::Cache={root}/var/cache/apt/",
            $"APT::Architecture={o.Architecture}", "APT::Architectures::=", $"APT::Architectures::={o.Architecture}",
            // Lists stay uncompressed, so the resolver can read the pockets' indexes to tell where each file came from.
            "Acquire::GzipIndexes=false",
            "APT::Install-Recommends=false", "APT::Get::Assume-Yes=true", "Debug::NoLocking=true",
            "Acquire::Languages=none", "Acquire::IndexTargets::deb::Contents-deb::DefaultEnabled=false",
            // apt started as root switches its download methods to _apt, which needs CAP_SETUID; builderd's children hold
            // no capability (ProcessCommand drops them), so a daemon run as root would fail every download. As the
            // daemon's own user (the systemd unit) apt never switches anyway.
            "APT::Sandbox::User=root",
        ];
        var command = new ProcessCommand("apt-get", [.. config.SelectMany(c => new[] { "-o", c }), .. args])
        {
            // Messages name the operation, not the private root's options or this host's paths.
            DisplayName = $"apt-get {string.Join(' ', args.Where(a => a != "--" && !a.StartsWith('/')))}",
            // An empty configuration file of the root's own: the host's /etc/apt/apt.conf is never read.
            Environment = { ["DEBIAN_FRONTEND"] = "noninteractive", ["APT_CONFIG"] = Path.Combine(root, "etc", "apt", "apt.conf") },
            Timeout = o.Timeout,
            MaxOutput = MaxAptOutput,
        };
        ProcessResult result;
        try
        {
            result = await ProcessRunner.RunAsync(command, cancellationToken);
        }
        catch (ProcessException e)
        {
            throw new BuildDepsException(e.Message, e);
        }
        var errors = result.StandardError.Trim();
        if (result.ExitCode != 0)
        {
            // apt's last lines name the unsatisfiable dependency; keep them whole for the build log and the mail.
            var reason = string.Join('\n', (result.StandardOutput + "\n" + errors).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Where(l => l.StartsWith("E:", StringComparison.Ordinal) || l.StartsWith("W: GPG error", StringComparison.Ordinal)
                    || l.Contains("but it is not", StringComparison.Ordinal) || l.Contains("Depends:", StringComparison.Ordinal))
                .Take(20));
            throw new BuildDepsException($"{command.DisplayName} failed (exit {result.ExitCode}): {(reason.Length > 0 ? reason : errors)}");
        }
        if (result.Truncated)
        {
            // A plan cut short would leave packages out without a word; refuse it instead.
            throw new BuildDepsException($"{command.DisplayName} printed more than {MaxAptOutput} characters; its plan cannot be trusted whole");
        }
        return result.StandardOutput;
    }

    private static partial class Log
    {
        [LoggerMessage(8401, LogLevel.Information, "Resolved build dependencies of {Dsc}: {Count} packages to install in the VM, {FromPockets} of them from pocket repositories")]
        public static partial void Resolved(ILogger logger, string dsc, int count, int fromPockets);
    }
}
