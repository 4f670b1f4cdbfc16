namespace Builder.Farm.Protocol;

/// <summary>An encoded message as its headers (with small bodies) and its one large body, written back to back.</summary>
internal sealed record EncodedMessage(ReadOnlyMemory<byte> Head, ReadOnlyMemory<byte> Body)
{
    public async Task WriteToAsync(Stream stream, CancellationToken cancellationToken)
    {
        await stream.WriteAsync(Head, cancellationToken);
        if (!Body.IsEmpty)
        {
            await stream.WriteAsync(Body, cancellationToken);
        }
    }

    public byte[] ToArray() => [.. Head.Span, .. Body.Span];
}
