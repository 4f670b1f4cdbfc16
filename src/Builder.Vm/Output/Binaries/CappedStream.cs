namespace Builder.Vm.Output.Binaries;

/// <summary>
/// A read-only view of a decompressor's output that fails once more than a cap has been read, so a small member
/// that expands to gigabytes (a decompression bomb) costs at most the cap in time and no memory beyond buffers.
/// </summary>
internal sealed class CappedStream(Stream inner, long cap, string file, string what) : ReadOnlyForwardStream
{
    public long BytesRead { get; private set; }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        // Ask for one byte more than the cap allows, so reaching the cap exactly is not mistaken for passing it.
        var allowed = (int)Math.Min(buffer.Length, cap - BytesRead + 1);
        if (allowed <= 0)
        {
            throw Exceeded();
        }
        var read = inner.Read(buffer[..allowed]);
        BytesRead += read;
        return BytesRead > cap ? throw Exceeded() : read;
    }

    private DebFormatException Exceeded() => new(file, $"{what} decompresses to more than {cap} bytes");

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }
        base.Dispose(disposing);
    }
}
