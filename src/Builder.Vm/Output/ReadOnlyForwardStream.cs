namespace Builder.Vm.Output;

/// <summary>
/// The base of the streams guest output is read through: readable, never seekable or writable, no length or position,
/// so every reader above them (TarReader, the decompressors) takes the data as it comes, forward only.
/// </summary>
internal abstract class ReadOnlyForwardStream : Stream
{
    public sealed override bool CanRead => true;

    public sealed override bool CanSeek => false;

    public sealed override bool CanWrite => false;

    public sealed override long Length => throw new NotSupportedException();

    public sealed override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public sealed override void Flush()
    {
    }

    public sealed override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public sealed override void SetLength(long value) => throw new NotSupportedException();

    public sealed override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
