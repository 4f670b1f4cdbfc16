namespace Builder.Vm.Tests.Output;

/// <summary>
/// A tar of <paramref name="length"/> bytes that starts with <paramref name="head"/> and goes on in zeros, made as it is
/// read: a test can hand the extractor a 300 MiB header without holding 300 MiB itself.
/// </summary>
internal sealed class LazyTarStream(byte[] head, long length) : Stream
{
    private long _position;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => length;

    public override long Position
    {
        get => _position;
        set => throw new NotSupportedException();
    }

    /// <summary>How many bytes the reader took.</summary>
    public long Consumed => _position;

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var n = (int)Math.Min(buffer.Length, length - _position);
        buffer[..n].Clear();
        if (_position < head.Length)
        {
            head.AsSpan((int)_position, (int)Math.Min(n, head.Length - _position)).CopyTo(buffer);
        }
        _position += n;
        return n;
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
