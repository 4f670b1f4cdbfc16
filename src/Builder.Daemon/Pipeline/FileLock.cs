namespace Builder.Daemon.Pipeline;

/// <summary>An exclusive lock on a file, across threads and processes (two daemons on one host share caches).</summary>
internal sealed class FileLock : IDisposable
{
    private readonly FileStream _stream;

    private FileLock(FileStream stream) => _stream = stream;

    public static async Task<FileLock> AcquireAsync(string path, CancellationToken cancellationToken)
    {
        while (true)
        {
            try
            {
                // FileShare.None on Linux takes an advisory lock (flock) that other processes honour.
                return new FileLock(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
            }
            catch (IOException)
            {
                await Task.Delay(100, cancellationToken);
            }
        }
    }

    public void Dispose() => _stream.Dispose();
}
