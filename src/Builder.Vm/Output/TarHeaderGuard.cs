using System.Globalization;
using Builder.Core.Diagnostics;

namespace Builder.Vm.Output;

/// <summary>
/// Sits between the output disk and TarReader and checks every raw header before TarReader sees it: checksum, type
/// (regular files and the metadata that names them only), size (at most 2^40 and the disk), and the metadata's total
/// against <see cref="OutputLimits.MaxMetadata"/>, counted from the header before one byte of it is read. Metadata
/// data (at most that cap) is read here first and checked record by record; file data passes through uncopied. So
/// TarReader never buffers an announced size and never meets a type it would throw on.
/// </summary>
internal sealed class TarHeaderGuard(Stream inner, OutputLimits limits) : ReadOnlyForwardStream
{
    private byte[] _pending = [];
    private int _pendingOffset;
    private long _dataLeft;
    private long _metadata;
    private int _entries;
    private TarHeaderMetadata _meta = new();

    /// <summary>"output tar entry N 'name'" (or, for a metadata header, "output tar entry N") for the last header passed on.</summary>
    public string Label { get; private set; } = "output tar entry 1";

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        if (buffer.IsEmpty)
        {
            return 0;
        }
        if (_pendingOffset < _pending.Length)
        {
            var n = Math.Min(buffer.Length, _pending.Length - _pendingOffset);
            _pending.AsSpan(_pendingOffset, n).CopyTo(buffer);
            _pendingOffset += n;
            return n;
        }
        if (_dataLeft > 0)
        {
            var n = inner.Read(buffer[..(int)Math.Min(buffer.Length, _dataLeft)]);
            _dataLeft -= n;
            return n;
        }
        var header = new byte[TarHeaderBlock.Size];
        var got = inner.ReadAtLeast(header, header.Length, throwOnEndOfStream: false);
        if (got == 0)
        {
            return 0;
        }
        if (got < header.Length)
        {
            throw new OutputRejectedException($"output tar: header after entry {_entries} is truncated or malformed: {got} of {TarHeaderBlock.Size} bytes present");
        }
        _pending = Inspect(header);
        _pendingOffset = 0;
        return Read(buffer);
    }

    /// <summary>Checks one header; returns what to hand on: the header, and for metadata its whole (checked) data too.</summary>
    private byte[] Inspect(byte[] header)
    {
        var entry = _entries + 1;
        if (TarHeaderBlock.IsZero(header))
        {
            if (_meta.Kinds is { } kind)
            {
                throw Reject($"output tar entry {entry}: a {TarEntryTypes.Metadata(kind)} with no entry after it");
            }
            return header;
        }
        var type = TarHeaderBlock.Type(header);
        var label = TarEntryTypes.IsMetadata(type)
            ? $"output tar entry {entry}"
            : $"output tar entry {entry} '{OutputExtractor.Printable(_meta.Name ?? TarHeaderBlock.Name(header))}'";
        Label = label;
        if (TarHeaderBlock.CheckChecksum(header) is { } checksum)
        {
            throw Reject($"{label}: {checksum}");
        }
        if (TarHeaderBlock.ParseSize(header, out var sizeProblem) is not { } size)
        {
            throw Reject($"{label}: {sizeProblem}");
        }
        if (TarEntryTypes.IsMetadata(type))
        {
            return ReadMetadata(header, type, size, label);
        }
        if (!TarEntryTypes.IsRegular(type))
        {
            throw Reject($"{label}: is a {TarEntryTypes.Describe(type)}, only regular files are accepted");
        }
        if (_meta.Size is { } paxSize)
        {
            size = ParsePaxSize(paxSize, label);
        }
        CheckAgainstDisk(size, label);
        _entries++;
        _meta = new TarHeaderMetadata();
        _dataLeft = Padded(size);
        return header;
    }

    private byte[] ReadMetadata(byte[] header, byte type, long size, string label)
    {
        var what = $"a {TarEntryTypes.Metadata(type)} of {size} bytes";
        CheckAgainstDisk(size, label);
        // The cap counts blocks, so even empty headers cannot pile up without bound.
        _metadata += TarHeaderBlock.Size + Padded(size);
        if (_metadata > limits.MaxMetadata)
        {
            LimitHits.Record("Vm:MaxTarMetadata");
            throw Reject($"{label}: {what}: the tar's metadata exceeds Vm:MaxTarMetadata ({limits.MaxMetadata} bytes)", "Vm:MaxTarMetadata");
        }
        if (_meta.Refuse(type) is { } order)
        {
            throw Reject($"{label}: {order}");
        }
        // Within the cap: small enough to hold whole, header and padding included, and to check before TarReader parses it.
        var block = new byte[TarHeaderBlock.Size + Padded(size)];
        header.CopyTo(block, 0);
        var got = inner.ReadAtLeast(block.AsSpan(TarHeaderBlock.Size), block.Length - TarHeaderBlock.Size, throwOnEndOfStream: false);
        if (got < block.Length - TarHeaderBlock.Size)
        {
            throw Reject($"{label}: a {TarEntryTypes.Metadata(type)} is truncated ({Math.Min(got, size)} of {size} bytes present)");
        }
        if (_meta.Take(type, block.AsSpan(TarHeaderBlock.Size, (int)size)) is { } problem)
        {
            throw Reject($"{label}: {TarEntryTypes.Metadata(type)} {problem}");
        }
        return block;
    }

    private long ParsePaxSize(string text, string label)
    {
        if (text.Length == 0 || text.Length > 19 || !text.All(char.IsAsciiDigit)
            || !long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var size))
        {
            throw text.Length > 0 && text.All(char.IsAsciiDigit)
                ? Reject($"{label}: PAX size {OutputExtractor.Printable(text, 40)} is above 2^40 bytes")
                : Reject($"{label}: PAX size '{OutputExtractor.Printable(text, 40)}' is not a decimal number");
        }
        return size <= TarHeaderBlock.MaxSaneSize ? size : throw Reject($"{label}: PAX size {size} is above 2^40 bytes");
    }

    private void CheckAgainstDisk(long size, string label)
    {
        if (size > limits.DiskSize)
        {
            throw Reject($"{label}: {size} bytes exceeds the output disk of {limits.DiskSize} bytes");
        }
    }

    private static long Padded(long size) => (size + TarHeaderBlock.Size - 1) / TarHeaderBlock.Size * TarHeaderBlock.Size;

    private static OutputRejectedException Reject(string message, string? limit = null) => new(message) { Limit = limit };
}
