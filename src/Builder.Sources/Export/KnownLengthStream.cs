namespace Builder.Sources.Export;

/// <summary>
/// A read-only view of a blob stream whose length is known from the object header, so TarWriter can write the
/// size field without buffering the content; reading more or fewer bytes than announced is an error.
/// </summary>
internal sealed class KnownLengthStream(Stream inner, long length, string name) : Stream
{
    private long _position;

    public override bool CanRead => true;

    // TarWriter takes the size from Length only for seekable streams; nothing here ever seeks.
    public override bool CanSeek => true;

    public override bool CanWrite => false;

    public override long Length => length;

    public override long Position
    {
        get => _position;
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var n = inner.Read(buffer);
        _position += n;
        if (_position > length || (n == 0 && buffer.Length > 0 && _position != length))
        {
            throw new InvalidDataException($"{name} does not have the {length} bytes its object header says");
        }
        return n;
    }

    public override long Seek(long offset, SeekOrigin origin) =>
        origin == SeekOrigin.Current && offset == 0 ? _position : throw new NotSupportedException();

    public override void Flush()
    {
    }

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
