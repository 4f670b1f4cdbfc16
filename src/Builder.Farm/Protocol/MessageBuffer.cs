namespace Builder.Farm.Protocol;

/// <summary>
/// The bytes read so far of one message. It grows only as bytes arrive (at most doubling, up to what is asked for), so
/// a declared length is a ceiling, not an allocation: a peer that announces 64 MiB and sends 4 KiB costs about 16 KiB.
/// </summary>
internal sealed class MessageBuffer(Stream stream, string what, TimeProvider? time = null)
{
    private const int InitialSize = 16 * 1024;

    private byte[] _buffer = new byte[InitialSize];

    /// <summary>Bytes received so far.</summary>
    public int Count { get; private set; }

    /// <summary>Charged for every growth once set (the head before the body is not charged: it is bounded by the argv caps).</summary>
    public IByteBudget? Budget { get; set; }

    public ReadOnlyMemory<byte> Received => _buffer.AsMemory(0, Count);

    /// <summary>When the first bytes arrived (a timestamp of the <see cref="TimeProvider"/> given), 0 before.</summary>
    public long FirstBytesAt { get; private set; }

    /// <summary>Reads until at least <paramref name="target"/> bytes are buffered.</summary>
    /// <exception cref="EndOfStreamException">the peer closed first.</exception>
    /// <exception cref="ByteBudgetExceededException">the budget had no room for the next growth.</exception>
    public async Task FillAsync(long target, CancellationToken cancellationToken)
    {
        while (Count < target)
        {
            if (Count == _buffer.Length)
            {
                var size = (int)Math.Min(target, Math.Min((long)_buffer.Length * 2, Array.MaxLength));
                Budget?.Charge(size - _buffer.Length);
                Array.Resize(ref _buffer, size);
            }
            var read = await stream.ReadAsync(_buffer.AsMemory(Count), cancellationToken);
            if (read == 0)
            {
                throw new EndOfStreamException($"the peer closed the connection after {Count} bytes, before the {what} was complete");
            }
            if (Count == 0 && time is not null)
            {
                FirstBytesAt = time.GetTimestamp();
            }
            Count += read;
        }
    }
}
