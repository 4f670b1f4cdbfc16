namespace Builder.Sources.Mirrors;

/// <summary>
/// A per-package lock file shared by every process using the mirror directory. On Linux a FileStream opened
/// with FileShare.None takes flock(LOCK_EX|LOCK_NB) on the file, so a second builderd (or `flock` in a
/// maintenance script) waits here; the kernel drops the lock when a process dies, so a crash never leaves it stale.
/// </summary>
internal static class MirrorLock
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(100);

    public static async Task<FileStream> AcquireAsync(string path, TimeSpan timeout, TimeProvider time, Action onWait, CancellationToken cancellationToken)
    {
        using var deadline = new CancellationTokenSource(timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token, cancellationToken);
        var waited = false;
        while (true)
        {
            IOException last;
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException e)
            {
                last = e;
            }
            if (!waited)
            {
                waited = true;
                onWait();
            }
            try
            {
                await Task.Delay(Poll, time, linked.Token);
            }
            catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                throw new SourceException($"{path} is still locked after {timeout} (Packages:MirrorLockTimeout): another build or process is using this mirror", last);
            }
        }
    }
}
