namespace Builder.Audit.Verify;

/// <summary>
/// Where the messages of an mbox file lie, found without loading any: each starts at a line beginning with
/// <c>From </c> (the first at offset 0) and runs to the next. So a message larger than a reader's limit is skipped by
/// its length instead of parsed into memory.
/// </summary>
internal static class MboxSegments
{
    private const int ChunkBytes = 64 * 1024;

    /// <returns>(offset, length) of each message, in file order.</returns>
    public static IEnumerable<(long Offset, long Length)> Find(Stream stream, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var buffer = new byte[ChunkBytes];
        long position = 0, start = 0;
        // Bytes of "From " matched at the start of the current line so far; -1 once the line can no longer be a marker.
        var matched = 0;
        int read;
        while ((read = stream.Read(buffer, 0, buffer.Length)) > 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            for (var i = 0; i < read; i++, position++)
            {
                var b = buffer[i];
                if (b == (byte)'\n')
                {
                    matched = 0;
                    continue;
                }
                if (matched < 0)
                {
                    continue;
                }
                if (b != "From "u8[matched])
                {
                    matched = -1;
                    continue;
                }
                if (++matched == 5)
                {
                    var lineStart = position - 4;
                    if (lineStart > start)
                    {
                        yield return (start, lineStart - start);
                        start = lineStart;
                    }
                    matched = -1;
                }
            }
        }
        if (position > start)
        {
            yield return (start, position - start);
        }
    }
}
