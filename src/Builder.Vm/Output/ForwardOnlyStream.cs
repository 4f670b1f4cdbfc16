namespace Builder.Vm.Output;

/// <summary>
/// Hides seeking from TarReader: it then takes each header as it comes (so a size cap can name the entry)
/// instead of seeking by header sizes, and data is only ever read forward, bounded by the checked length.
/// </summary>
internal sealed class ForwardOnlyStream(Stream inner) : ReadOnlyForwardStream
{
    public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);

    public override int Read(Span<byte> buffer) => inner.Read(buffer);
}
