using System.Globalization;
using System.Text;
using Microsoft.Extensions.Options;

namespace Builder.Daemon.Logs;

/// <summary>
/// Build logs: one file per build, only ever appended to (a crash loses at most the last unflushed line, never
/// rewrites history). Readers see a prefix that only grows, so an offset is a stable cursor.
/// </summary>
internal sealed class BuildLogStore(IOptions<BuildLogOptions> options, TimeProvider time)
{
    public const int MaxChunk = 256 * 1024;

    public string PathOf(long buildId) =>
        Path.Combine(options.Value.Directory, buildId.ToString(CultureInfo.InvariantCulture) + ".log");

    /// <summary>Opens the build's log for appending; lines are flushed as they are written.</summary>
    public StreamWriter OpenAppend(long buildId)
    {
        System.IO.Directory.CreateDirectory(options.Value.Directory);
        var stream = new FileStream(PathOf(buildId), FileMode.Append, FileAccess.Write, FileShare.Read | FileShare.Delete);
        return new StreamWriter(stream, new UTF8Encoding(false)) { AutoFlush = true, NewLine = "\n" };
    }

    /// <summary>Appends one timestamped line (daemon-side messages between the build's own output).</summary>
    public async Task AppendLineAsync(long buildId, string line, CancellationToken cancellationToken)
    {
        await using var writer = OpenAppend(buildId);
        await writer.WriteLineAsync($"[{time.GetUtcNow():yyyy-MM-ddTHH:mm:ssZ}] {line}".AsMemory(), cancellationToken);
    }

    /// <summary>Reads at most <see cref="MaxChunk"/> bytes from <paramref name="offset"/>; empty when there is nothing new (or no log yet).</summary>
    public async Task<(byte[] Data, long Length)> ReadAsync(long buildId, long offset, CancellationToken cancellationToken)
    {
        var path = PathOf(buildId);
        if (!File.Exists(path))
        {
            return ([], 0);
        }
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        var length = stream.Length;
        if (offset >= length)
        {
            return ([], length);
        }
        stream.Position = offset;
        var buffer = new byte[(int)Math.Min(MaxChunk, length - offset)];
        await stream.ReadExactlyAsync(buffer, cancellationToken);
        return (buffer, length);
    }
}
