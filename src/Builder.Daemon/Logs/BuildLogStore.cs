using System.Globalization;
using System.Text;
using Microsoft.Extensions.Options;

namespace Builder.Daemon.Logs;

/// <summary>
/// Build logs: one file per build, only ever appended to (a crash loses at most the last unflushed line, never
/// rewrites history). Readers see a prefix that only grows, so an offset is a stable cursor.
/// </summary>
internal sealed class BuildLogStore(IOptions<BuildLogOptions> options, TimeProvider time, ILogger<BuildLogStore> logger)
{
    public const int MaxChunk = 256 * 1024;

    public string PathOf(long buildId) =>
        Path.Combine(options.Value.Directory, buildId.ToString(CultureInfo.InvariantCulture) + ".log");

    /// <summary>Opens the build's log for appending, held to Logs:MaxBuildLog; lines are flushed as they are written.</summary>
    public BuildLogWriter OpenAppend(long buildId)
    {
        System.IO.Directory.CreateDirectory(options.Value.Directory);
        return new BuildLogWriter(PathOf(buildId), options.Value.MaxBuildLog, options.Value.MaxLineLength, time, logger, buildId);
    }

    /// <summary>Appends one daemon-side line, <c>[time] builder: text</c> (outside a pipeline run: recovery).</summary>
    public Task AppendLineAsync(long buildId, string text, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        using var writer = OpenAppend(buildId);
        writer.WriteDaemonLine(text);
        return Task.CompletedTask;
    }

    /// <summary>
    /// The log's last <paramref name="maxBytes"/> bytes as text (from the first whole line in them), read from the end:
    /// a mail needs the tail, and a log may be Logs:MaxBuildLog long.
    /// </summary>
    public async Task<string> ReadTailAsync(long buildId, int maxBytes, CancellationToken cancellationToken)
    {
        var path = PathOf(buildId);
        if (!File.Exists(path))
        {
            return "";
        }
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        var start = Math.Max(0, stream.Length - maxBytes);
        stream.Position = start;
        var buffer = new byte[(int)(stream.Length - start)];
        await stream.ReadExactlyAsync(buffer, cancellationToken);
        var skip = 0;
        if (start > 0)
        {
            // Cut mid-line (maybe mid-character): start after the first newline.
            var newline = Array.IndexOf(buffer, (byte)'\n');
            skip = newline < 0 ? buffer.Length : newline + 1;
        }
        return new UTF8Encoding(false).GetString(buffer, skip, buffer.Length - skip);
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
