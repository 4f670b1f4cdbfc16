using Builder.Core.Files;
using LibGit2Sharp;

namespace Builder.Sources.Mirrors;

/// <summary>
/// Exclusive use of one package's freshly fetched mirror: the in-process gate and the file lock are held
/// until this is disposed, so nothing fetches, prunes or re-clones under the holder's feet.
/// </summary>
public sealed class MirrorLease : IDisposable
{
    private readonly SemaphoreSlim _gate;
    private readonly FileLock _lockFile;
    private bool _disposed;

    internal MirrorLease(string package, string url, string path, Repository repository, SemaphoreSlim gate, FileLock lockFile)
    {
        Package = package;
        Url = url;
        Path = path;
        Repository = repository;
        _gate = gate;
        _lockFile = lockFile;
    }

    public string Package { get; }

    /// <summary>The package repository the mirror follows (and tags are pushed to).</summary>
    public string Url { get; }

    /// <summary>The bare mirror on disk.</summary>
    public string Path { get; }

    public Repository Repository { get; }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        Repository.Dispose();
        _lockFile.Dispose();
        _gate.Release();
    }
}
