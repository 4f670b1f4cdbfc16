namespace Builder.Core.Files;

/// <summary>
/// An exclusive lock on a file, across threads and processes (two daemons on one host share caches and mirrors). On
/// Linux a FileStream opened with FileShare.None takes flock(LOCK_EX|LOCK_NB), so another process — or `flock` in a
/// maintenance script — waits here; the kernel drops the lock when a process dies, so a crash never leaves it stale.
/// </summary>
public sealed class FileLock : IDisposable
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(100);

    private readonly FileStream _stream;

    private FileLock(FileStream stream) => _stream = stream;

    /// <summary>Waits, without a limit, until the lock on <paramref name="path"/> (created if absent) is free.</summary>
    public static Task<FileLock> AcquireAsync(string path, CancellationToken cancellationToken) =>
        AcquireAsync(path, Timeout.InfiniteTimeSpan, TimeProvider.System, onWait: null, cancellationToken);

    /// <summary>Waits until the lock on <paramref name="path"/> (created if absent) is free.</summary>
    /// <param name="path">the lock file.</param>
    /// <param name="timeout">how long to wait at most.</param>
    /// <param name="time">the clock <paramref name="timeout"/> runs on.</param>
    /// <param name="onWait">called once if the lock is taken, before the wait (to log who waits).</param>
    /// <param name="cancellationToken">stops the wait.</param>
    /// <exception cref="TimeoutException">the lock is still held after <paramref name="timeout"/>.</exception>
    public static async Task<FileLock> AcquireAsync(string path, TimeSpan timeout, TimeProvider time, Action? onWait, CancellationToken cancellationToken)
    {
        using var deadline = new CancellationTokenSource(timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token, cancellationToken);
        var waited = false;
        while (true)
        {
            IOException held;
            try
            {
                return new FileLock(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
            }
            catch (IOException e)
            {
                held = e;
            }
            if (!waited)
            {
                waited = true;
                onWait?.Invoke();
            }
            try
            {
                await Task.Delay(Poll, time, linked.Token);
            }
            catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"{path} is still locked after {timeout}", held);
            }
        }
    }

    public void Dispose() => _stream.Dispose();
}
