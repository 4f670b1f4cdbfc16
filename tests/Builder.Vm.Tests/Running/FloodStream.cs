namespace Builder.Vm.Tests.Running;

/// <summary>
/// A console that prints <c>length</c> bytes of 4000-character lines as fast as it is read, and every 64 MiB notes
/// how far the managed heap (after a full collection) has grown since it started: the reader's memory, not a timing.
/// </summary>
internal sealed class FloodStream : Stream
{
    private const int LineLength = 4000;
    private const long SampleEvery = 64L << 20;

    private readonly long _length;
    private readonly long _baseline = GC.GetTotalMemory(forceFullCollection: true);
    private long _position;
    private long _nextSample = SampleEvery;

    public FloodStream(long length) => _length = length;

    public long MaxHeapGrowth { get; private set; }

    public static long LinesIn(long length) => (length + LineLength) / (LineLength + 1);

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => _length;

    public override long Position { get => _position; set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Fill(buffer.AsSpan(offset, count));

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(Fill(buffer.Span));

    private int Fill(Span<byte> span)
    {
        var n = (int)Math.Min(span.Length, _length - _position);
        for (var i = 0; i < n; i++)
        {
            span[i] = (_position + i) % (LineLength + 1) == LineLength ? (byte)'\n' : (byte)'x';
        }
        _position += n;
        if (_position >= _nextSample)
        {
            _nextSample += SampleEvery;
            MaxHeapGrowth = Math.Max(MaxHeapGrowth, GC.GetTotalMemory(forceFullCollection: true) - _baseline);
        }
        return n;
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
