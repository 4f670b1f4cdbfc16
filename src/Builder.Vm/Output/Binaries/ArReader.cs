using System.Text;

namespace Builder.Vm.Output.Binaries;

/// <summary>
/// Walks the members of a common-format ar archive (a .deb's container): the <c>!&lt;arch&gt;\n</c> magic, then for each
/// member a 60-byte header (name 16, mtime 12, uid 6, gid 6, mode 8, decimal size 10, <c>`\n</c>), its data and one
/// <c>\n</c> of padding after an odd size. Sizes are checked against what is left of the stream before anything is
/// read, so a header cannot make the reader seek or allocate past the file.
/// </summary>
internal sealed class ArReader
{
    public const int HeaderSize = 60;

    private static ReadOnlySpan<byte> Magic => "!<arch>\n"u8;

    private readonly Stream _stream;
    private readonly string _file;
    private long _next;

    public ArReader(Stream stream, string file)
    {
        _stream = stream;
        _file = file;
        Span<byte> magic = stackalloc byte[Magic.Length];
        _stream.Position = 0;
        if (ReadFully(magic) != magic.Length || !magic.SequenceEqual(Magic))
        {
            throw Error("not an ar archive (no '!<arch>' magic)");
        }
        _next = Magic.Length;
    }

    /// <summary>The next member's header, or null at the end of the archive.</summary>
    public ArMember? Next()
    {
        var length = _stream.Length;
        if (_next == length)
        {
            return null;
        }
        if (_next > length)
        {
            throw Error($"truncated: the previous member's padding byte at offset {length} is missing");
        }
        _stream.Position = _next;
        Span<byte> header = stackalloc byte[HeaderSize];
        var got = ReadFully(header);
        if (got != HeaderSize)
        {
            throw Error($"truncated ar member header at offset {_next} ({got} of {HeaderSize} bytes)");
        }
        if (header[58] != '`' || header[59] != '\n')
        {
            throw Error($"ar member header at offset {_next} does not end in '`\\n'");
        }
        var name = Name(header[..16]);
        var size = Size(header[48..58], name);
        var offset = _next + HeaderSize;
        if (size > length - offset)
        {
            throw Error($"ar member '{name}' claims {size} bytes, but only {length - offset} follow its header");
        }
        if (size % 2 == 1 && offset + size < length)
        {
            _stream.Position = offset + size;
            if (_stream.ReadByte() != '\n')
            {
                throw Error($"ar member '{name}' is not followed by a '\\n' padding byte");
            }
        }
        _next = offset + size + (size % 2);
        return new ArMember(name, offset, size);
    }

    /// <summary>The member's data; callers cap <see cref="ArMember.Size"/> first.</summary>
    public byte[] Read(ArMember member)
    {
        var data = new byte[member.Size];
        _stream.Position = member.Offset;
        if (ReadFully(data) != data.Length)
        {
            throw Error($"ar member '{member.Name}' is truncated");
        }
        return data;
    }

    private string Name(ReadOnlySpan<byte> field)
    {
        var text = Encoding.Latin1.GetString(field).TrimEnd(' ');
        // GNU ar ends names with '/'; dpkg-deb writes none. dpkg accepts both.
        if (text.EndsWith('/'))
        {
            text = text[..^1];
        }
        if (text.Length == 0 || !text.All(c => c is > ' ' and < (char)127))
        {
            throw Error($"ar member name '{OutputExtractor.Printable(text)}' is empty or not printable ASCII");
        }
        return text;
    }

    private long Size(ReadOnlySpan<byte> field, string name)
    {
        // Decimal digits, left-aligned, padded with spaces: nothing else, no sign, at least one digit.
        var digits = 0;
        while (digits < field.Length && field[digits] is >= (byte)'0' and <= (byte)'9')
        {
            digits++;
        }
        for (var i = digits; i < field.Length; i++)
        {
            if (field[i] != ' ')
            {
                digits = 0;
                break;
            }
        }
        if (digits == 0)
        {
            throw Error($"ar member '{name}': size field '{OutputExtractor.Printable(Encoding.Latin1.GetString(field).TrimEnd(' '))}' is not a decimal number");
        }
        long size = 0;
        foreach (var b in field[..digits])
        {
            size = (size * 10) + (b - '0');
        }
        return size;
    }

    private int ReadFully(Span<byte> buffer)
    {
        var filled = 0;
        while (filled < buffer.Length && _stream.Read(buffer[filled..]) is var n and > 0)
        {
            filled += n;
        }
        return filled;
    }

    private DebFormatException Error(string problem) => new(_file, problem);
}
