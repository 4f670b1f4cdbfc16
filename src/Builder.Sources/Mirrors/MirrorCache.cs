using System.Collections.Concurrent;
using Builder.Core.Files;
using Builder.Core.Pockets;
using LibGit2Sharp;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Builder.Sources.Mirrors;

/// <summary>
/// One bare mirror per package under <see cref="PackagesOptions.MirrorDirectory"/>, fetched with
/// <c>+refs/*:refs/*</c> and prune so it is an exact copy of the package repository (force-pushed branches
/// included). A mirror that cannot be opened, fetched or read is never trusted: a fresh clone is made
/// beside it and swapped in; if that fails too, the old mirror stays and the build fails.
/// </summary>
public sealed partial class MirrorCache(IOptions<PackagesOptions> options, TimeProvider time, ILogger<MirrorCache> logger)
{
    private const string Remote = "origin";

    private readonly ConcurrentDictionary<string, SemaphoreSlim> _gates = new(StringComparer.Ordinal);

    static MirrorCache()
    {
        // Package repositories usually belong to a git user, not to the builder user; libgit2 would refuse to read
        // them (its answer to CVE-2022-24765). That check guards against a git that runs hooks or fsmonitor commands
        // from a repository it discovered upwards; Builder opens only paths it computes, and libgit2 runs no hooks,
        // filters or commands from a repository's config. This process uses LibGit2Sharp only here.
        GlobalSettings.SetOwnerValidation(false);
    }

    /// <summary>Waits for the package's mirror, fetches it and hands it over until the lease is disposed.</summary>
    /// <exception cref="SourceException">the repository cannot be fetched, or the lock is not free in time.</exception>
    public async Task<MirrorLease> AcquireAsync(string package, CancellationToken cancellationToken)
    {
        if (!PocketNames.IsValidPackage(package))
        {
            throw new ArgumentException($"invalid package name '{package}'", nameof(package));
        }
        var o = options.Value;
        Directory.CreateDirectory(o.MirrorDirectory);
        var url = o.RepositoryUrlFor(package);
        var path = Path.Combine(o.MirrorDirectory, package + ".git");
        var gate = _gates.GetOrAdd(package, _ => new SemaphoreSlim(1, 1));

        using (var deadline = new CancellationTokenSource(o.MirrorLockTimeout, time))
        using (var linked = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token, cancellationToken))
        {
            try
            {
                await gate.WaitAsync(linked.Token);
            }
            catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                throw new SourceException($"the mirror of {package} is still in use by another build after {o.MirrorLockTimeout} (Packages:MirrorLockTimeout)");
            }
        }
        FileLock? lockFile = null;
        try
        {
            var lockPath = Path.Combine(o.MirrorDirectory, package + ".lock");
            try
            {
                lockFile = await FileLock.AcquireAsync(lockPath, o.MirrorLockTimeout, time, () => Log.Waiting(logger, package), cancellationToken);
            }
            catch (TimeoutException e)
            {
                throw new SourceException(
                    $"{lockPath} is still locked after {o.MirrorLockTimeout} (Packages:MirrorLockTimeout): another build or process is using this mirror", e);
            }
            var repository = await Task.Run(() => Refresh(package, url, path, o.FetchTimeout, cancellationToken), cancellationToken);
            return new MirrorLease(package, url, path, repository, gate, lockFile);
        }
        catch
        {
            lockFile?.Dispose();
            gate.Release();
            throw;
        }
    }

    private Repository Refresh(string package, string url, string path, TimeSpan fetchTimeout, CancellationToken cancellationToken)
    {
        string? problem = null;
        if (Directory.Exists(path))
        {
            Repository? repo = null;
            try
            {
                if (!Repository.IsValid(path))
                {
                    throw new InvalidDataException("not a git repository");
                }
                repo = new Repository(path);
                if (repo.Network.Remotes[Remote] is not { } remote || remote.Url != url)
                {
                    // The URL template changed (or the config was damaged): point the mirror at the configured place.
                    if (repo.Network.Remotes[Remote] is not null)
                    {
                        repo.Network.Remotes.Remove(Remote);
                    }
                    repo.Network.Remotes.Add(Remote, url, "+refs/*:refs/*");
                }
                Fetch(repo, url, fetchTimeout, cancellationToken);
                Verify(repo);
                Log.Fetched(logger, package, url);
                return repo;
            }
            catch (Exception e) when (e is LibGit2SharpException or InvalidDataException)
            {
                repo?.Dispose();
                problem = e.Message;
            }
        }
        cancellationToken.ThrowIfCancellationRequested();
        var fresh = $"{path}.new-{Guid.NewGuid():N}";
        try
        {
            Repository.Init(fresh, isBare: true);
            using (var repo = new Repository(fresh))
            {
                repo.Network.Remotes.Add(Remote, url, "+refs/*:refs/*");
                Fetch(repo, url, fetchTimeout, cancellationToken);
                Verify(repo);
            }
        }
        catch (Exception e)
        {
            TryDelete(fresh);
            if (e is not (LibGit2SharpException or InvalidDataException))
            {
                throw;
            }
            throw new SourceException(problem is null
                ? $"cannot fetch the repository of {package} from {url}: {e.Message}"
                : $"cannot fetch the repository of {package} from {url}: {e.Message} (the existing mirror was unusable too: {problem})", e);
        }
        if (Directory.Exists(path))
        {
            var old = $"{path}.old-{Guid.NewGuid():N}";
            Directory.Move(path, old);
            TryDelete(old);
        }
        Directory.Move(fresh, path);
        if (problem is null)
        {
            Log.Cloned(logger, package, url);
        }
        else
        {
            Log.Recloned(logger, package, problem, url);
        }
        return new Repository(path);
    }

    private static void Fetch(Repository repo, string url, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        var fetch = new FetchOptions
        {
            // The refspec carries tags too; an extra implicit tag refspec would only fight the forced one.
            TagFetchMode = TagFetchMode.None,
            Prune = true,
            OnTransferProgress = _ => !deadline.IsCancellationRequested,
            OnProgress = _ => !deadline.IsCancellationRequested,
        };
        try
        {
            Commands.Fetch(repo, Remote, [], fetch, null);
        }
        catch (UserCancelledException)
        {
            cancellationToken.ThrowIfCancellationRequested();
            throw new SourceException($"fetching {url} took longer than {timeout} (Packages:FetchTimeout)");
        }
    }

    /// <summary>Every ref must lead to a readable object, and a branch's commit to a readable tree: otherwise the mirror is corrupt.</summary>
    private static void Verify(Repository repo)
    {
        foreach (var reference in repo.Refs)
        {
            if (reference is not DirectReference direct)
            {
                continue;
            }
            var target = repo.Lookup(direct.TargetIdentifier)
                ?? throw new InvalidDataException($"{reference.CanonicalName} points to missing object {direct.TargetIdentifier}");
            if (reference.IsLocalBranch && target is Commit commit)
            {
                // Counting a branch head's tree entries makes libgit2 inflate the tree: a damaged pack throws here.
                _ = commit.Tree.Count;
            }
        }
    }

    private static void TryDelete(string dir)
    {
        try
        {
            if (Directory.Exists(dir))
            {
                Directory.Delete(dir, recursive: true);
            }
        }
        catch (IOException)
        {
            // A leftover temp dir is harmless; the next clone uses a new name.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
