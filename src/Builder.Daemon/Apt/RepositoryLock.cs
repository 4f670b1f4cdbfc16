using System.Collections.Concurrent;

namespace Builder.Daemon.Apt;

/// <summary>
/// The exclusive lock on one apt repository, across threads and across processes: a semaphore per base directory in
/// this process, then an exclusive lock (flock, through <see cref="FileShare.None"/>) on <c>conf/builder.lock</c>
/// under it. reprepro's own lockfile makes a second reprepro fail at once ("The lock file … already exists") instead
/// of waiting, so two builderd sharing a repository would fail each other's publishing; this lock makes them wait. The
/// kernel drops the lock of a killed process, so a crash never leaves it held.
/// </summary>
internal sealed class RepositoryLock : IAsyncDisposable
{
    public const string FileName = "builder.lock";

    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(100);
    private static readonly ConcurrentDictionary<string, SemaphoreSlim> InProcess = new(StringComparer.Ordinal);

    private readonly SemaphoreSlim _semaphore;
    private readonly FileStream _file;

    private RepositoryLock(SemaphoreSlim semaphore, FileStream file)
    {
        _semaphore = semaphore;
        _file = file;
    }

    /// <summary>Waits until this process holds the repository under <paramref name="baseDirectory"/> alone.</summary>
    public static async Task<RepositoryLock> AcquireAsync(string baseDirectory, CancellationToken cancellationToken)
    {
        var conf = Path.Combine(Path.GetFullPath(baseDirectory), "conf");
        var semaphore = InProcess.GetOrAdd(conf, _ => new SemaphoreSlim(1, 1));
        await semaphore.WaitAsync(cancellationToken);
        try
        {
            Directory.CreateDirectory(conf);
            var path = Path.Combine(conf, FileName);
            while (true)
            {
                try
                {
                    return new RepositoryLock(semaphore, new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
                }
                catch (IOException) when (File.Exists(path))
                {
                    // Another process holds it (publishing takes seconds at most): wait for it.
                    await Task.Delay(Poll, cancellationToken);
                }
            }
        }
        catch
        {
            semaphore.Release();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _file.DisposeAsync();
        _semaphore.Release();
    }
}
