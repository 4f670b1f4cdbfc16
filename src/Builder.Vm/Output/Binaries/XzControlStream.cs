using SharpCompress.Compressors.Xz;

namespace Builder.Vm.Output.Binaries;

/// <summary>
/// Decodes one xz stream (a control.tar.xz member, whole in memory) block by block with SharpCompress's
/// <see cref="XZBlock"/>, checking each block header before the block is decoded: exactly one LZMA2 filter whose
/// dictionary is at most the cap. SharpCompress's own XZStream allocates whatever dictionary a block header asks
/// for (up to 1.5 GiB); driving the blocks here puts the check in front of the very header the decoder uses.
/// After the last block the index must list exactly the blocks decoded and the footer must end the member: one
/// stream, no padding, nothing hidden behind it.
/// </summary>
internal sealed class XzControlStream : ReadOnlyForwardStream
{
    private const int StreamHeaderSize = 12;
    private const byte Lzma2FilterId = 0x21;

    private readonly MemoryStream _input;
    private readonly byte[] _data;
    private readonly int _maxDictionary;
    private readonly string _file;
    private XZHeader? _header;
    private XZBlock? _block;
    private int _blocks;
    private bool _done;

    public XzControlStream(byte[] data, int maxDictionary, string file)
    {
        _data = data;
        _input = new MemoryStream(data, writable: false);
        _maxDictionary = maxDictionary;
        _file = file;
    }

    public override int Read(byte[] buffer, int offset, int count)
    {
        if (_done || count == 0)
        {
            return 0;
        }
        _header ??= XZHeader.FromStream(_input);
        while (true)
        {
            if (_block is null)
            {
                var at = _input.Position;
                if (at >= _data.Length)
                {
                    throw Error("xz stream ends inside its blocks");
                }
                if (_data[at] == 0)
                {
                    // The index indicator: no more blocks.
                    ReadIndexAndFooter(at);
                    _done = true;
                    return 0;
                }
                CheckBlockHeader(at);
                _block = new XZBlock(_input, _header.BlockCheckType, _header.BlockCheckSize);
                _blocks++;
            }
            var read = _block.Read(buffer, offset, count);
            if (read < count)
            {
                // XZBlock reads its padding and check once it returns short; the next header follows.
                _block = null;
            }
            if (read > 0)
            {
                return read;
            }
        }
    }

    private void CheckBlockHeader(long at)
    {
        var size = (_data[at] + 1) * 4;
        if (at + size > _data.Length)
        {
            throw Error($"xz block header at offset {at} is truncated");
        }
        var h = _data.AsSpan((int)at, size);
        var flags = h[1];
        if ((flags & 0x3C) != 0)
        {
            throw Error($"xz block header at offset {at} uses reserved flags");
        }
        if ((flags & 0x03) != 0)
        {
            throw Error($"xz block at offset {at} has {(flags & 0x03) + 1} filters; only LZMA2 alone is accepted");
        }
        var p = 2;
        if ((flags & 0x40) != 0)
        {
            VarInt(h, ref p, at);
        }
        if ((flags & 0x80) != 0)
        {
            VarInt(h, ref p, at);
        }
        var id = VarInt(h, ref p, at);
        var propsSize = VarInt(h, ref p, at);
        if (id != Lzma2FilterId || propsSize != 1 || p >= h.Length - 4)
        {
            throw Error($"xz block at offset {at} does not use the LZMA2 filter alone");
        }
        var bits = h[p] & 0x3F;
        if ((h[p] & 0xC0) != 0 || bits > 40)
        {
            throw Error($"xz block at offset {at} has invalid LZMA2 properties");
        }
        var dictionary = bits == 40 ? uint.MaxValue : (2u | (uint)(bits & 1)) << ((bits / 2) + 11);
        if (dictionary > (uint)_maxDictionary)
        {
            throw Error($"xz block at offset {at} asks for a {dictionary}-byte dictionary, more than the cap of {_maxDictionary}");
        }
    }

    private ulong VarInt(ReadOnlySpan<byte> h, ref int p, long at)
    {
        ulong value = 0;
        for (var i = 0; i < 9; i++)
        {
            if (p >= h.Length - 4)
            {
                break;
            }
            var b = h[p++];
            value |= (ulong)(b & 0x7F) << (7 * i);
            if ((b & 0x80) == 0)
            {
                return value;
            }
        }
        throw Error($"xz block header at offset {at} has a malformed number");
    }

    private void ReadIndexAndFooter(long at)
    {
        // Compare the record count before XZIndex reads records: it would collect as many as the count claims.
        var p = (int)at + 1;
        ulong count = 0;
        for (var shift = 0; ; shift += 7)
        {
            if (p >= _data.Length || shift > 56)
            {
                throw Error("xz index is truncated or malformed");
            }
            var b = _data[p++];
            count |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                break;
            }
        }
        if (count != (ulong)_blocks)
        {
            throw Error($"xz index lists {count} blocks, the stream has {_blocks}");
        }
        var index = XZIndex.FromStream(_input, indexMarkerAlreadyVerified: false);
        if (index.NumberOfRecords != (ulong)_blocks)
        {
            throw Error($"xz index lists {index.NumberOfRecords} blocks, the stream has {_blocks}");
        }
        var indexSize = _input.Position - at;
        var footer = XZFooter.FromStream(_input);
        if (footer.BackwardSize != indexSize || _input.Position != _data.Length
            || !footer.StreamFlags.AsSpan().SequenceEqual(_data.AsSpan(6, 2)))
        {
            throw Error("xz stream footer does not match its index and header, or data follows it");
        }
        if (_data.Length < StreamHeaderSize)
        {
            throw Error("xz stream is truncated");
        }
    }

    private DebFormatException Error(string problem) => new(_file, problem);

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _block?.Dispose();
            _input.Dispose();
        }
        base.Dispose(disposing);
    }
}
