namespace Builder.Farm.Tests.Support;

/// <summary>
/// A slow client: hands out its bytes (in small pieces), then blocks until cancelled, as a client holding its
/// connection open would. Records the largest buffer a reader offered, which is what the reader allocated.
/// </summary>
internal sealed class StallingStream(byte[] data) : Stream
{
    private int _position;

    public int LargestReadBuffer { get; private set; }

    /// <summary>Completes when every byte was read and the reader waits for more.</summary>
    public Task Drained => _drained.Task;

    private readonly TaskCompletionSource _drained = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        LargestReadBuffer = Math.Max(LargestReadBuffer, buffer.Length);
        if (_position == data.Length)
        {
            _drained.TrySetResult();
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }
        var n = Math.Min(Math.Min(buffer.Length, 1024), data.Length - _position);
        data.AsMemory(_position, n).CopyTo(buffer);
        _position += n;
        return n;
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
