using System.Text;

namespace Builder.Vm.Output.Binaries;

/// <summary>
/// Finds the one <c>./control</c> file in a decompressed control.tar. Hand-written and strict on purpose:
/// System.Formats.Tar's TarReader rents a buffer of a PAX or GNU long-name header's declared size before reading
/// it (512 MiB for a 300 MiB header), and tools disagree on those headers, so a package could show the host one
/// control file and dpkg or the archive tool another. dpkg-deb writes plain ustar/GNU headers of regular files and
/// directories only, so those (plus symlinks and hard links, which never name the control file) are all that is
/// accepted; size fields are octal and small; the archive must end with zero blocks and nothing else.
/// </summary>
internal static class ControlTar
{
    private const int Block = 512;

    /// <summary>The control file's bytes.</summary>
    /// <exception cref="DebFormatException">for anything but exactly one regular control file within the caps.</exception>
    public static byte[] FindControl(Stream tar, string file, string member, DebReaderLimits limits)
    {
        var header = new byte[Block];
        byte[]? control = null;
        var entries = 0;
        while (true)
        {
            var got = ReadFully(tar, header);
            if (got == 0)
            {
                throw new DebFormatException(file, $"{member}: ends without the tar end-of-archive blocks");
            }
            if (got < Block)
            {
                throw new DebFormatException(file, $"{member}: truncated inside the header of entry {entries + 1}");
            }
            if (!header.AsSpan().ContainsAnyExcept((byte)0))
            {
                RequireZeros(tar, header, file, member);
                return control ?? throw new DebFormatException(file, $"{member}: has no ./control file");
            }
            entries++;
            if (entries > limits.MaxControlTarEntries)
            {
                throw new DebFormatException(file, $"{member}: more than {limits.MaxControlTarEntries} entries");
            }
            var entry = Parse(header, file, member, entries);
            var label = $"{member} entry {entries} '{OutputExtractor.Printable(entry.Name)}'";
            if (!IsControl(entry.Name))
            {
                Skip(tar, entry.Size + Padding(entry.Size), file, label);
                continue;
            }
            if (entry.Type is not ((byte)'0' or 0))
            {
                throw new DebFormatException(file, $"{label}: is a {Describe(entry.Type)}, the control file must be a regular file");
            }
            if (control is not null)
            {
                throw new DebFormatException(file, $"{label}: a second control file");
            }
            if (entry.Size > limits.MaxControlFileSize)
            {
                throw new DebFormatException(file, $"{label}: {entry.Size} bytes exceeds the cap of {limits.MaxControlFileSize} bytes");
            }
            control = new byte[entry.Size];
            if (ReadFully(tar, control) != control.Length)
            {
                throw new DebFormatException(file, $"{label}: truncated");
            }
            Skip(tar, Padding(entry.Size), file, label);
        }
    }

    private readonly record struct Entry(string Name, byte Type, long Size);

    private static Entry Parse(byte[] h, string file, string member, int number)
    {
        var where = $"{member} entry {number}";
        var stored = Octal(h.AsSpan(148, 8), file, where, "checksum");
        long sum = 0;
        for (var i = 0; i < Block; i++)
        {
            sum += i is >= 148 and < 156 ? ' ' : h[i];
        }
        if (sum != stored)
        {
            throw new DebFormatException(file, $"{where}: header checksum is {stored}, the header sums to {sum}");
        }
        var magic = h.AsSpan(257, 8);
        var ustar = magic.SequenceEqual("ustar\u000000"u8);
        if (!ustar && !magic.SequenceEqual("ustar  \0"u8) && magic.ContainsAnyExcept((byte)0))
        {
            throw new DebFormatException(file, $"{where}: not a ustar, GNU or v7 tar header");
        }
        var name = CString(h.AsSpan(0, 100));
        if (ustar && CString(h.AsSpan(345, 155)) is { Length: > 0 } prefix)
        {
            name = $"{prefix}/{name}";
        }
        var type = h[156];
        var label = $"{where} '{OutputExtractor.Printable(name)}'";
        if (type is (byte)'x' or (byte)'g' or (byte)'L' or (byte)'K')
        {
            throw new DebFormatException(file,
                $"{label}: is a {Describe(type)}; dpkg-deb never writes one and tools read them differently");
        }
        if (type is not ((byte)'0' or 0 or (byte)'1' or (byte)'2' or (byte)'5'))
        {
            throw new DebFormatException(file, $"{label}: is a {Describe(type)}, which a control tar does not hold");
        }
        var size = Octal(h.AsSpan(124, 12), file, label, "size");
        if (size != 0 && type is not ((byte)'0' or 0))
        {
            throw new DebFormatException(file, $"{label}: a {Describe(type)} with a size of {size} bytes");
        }
        return new Entry(name, type, size);
    }

    // Octal digits, optionally led by spaces and ended by NUL or space: what tar writers put in numeric fields.
    // GNU base-256 (high bit set) is refused: no field of a control tar needs it.
    private static long Octal(ReadOnlySpan<byte> field, string file, string where, string what)
    {
        var i = 0;
        while (i < field.Length && field[i] == ' ')
        {
            i++;
        }
        long value = 0;
        var digits = 0;
        for (; i < field.Length && field[i] is >= (byte)'0' and <= (byte)'7'; i++, digits++)
        {
            value = (value << 3) | (uint)(field[i] - '0');
        }
        var terminated = i < field.Length && field[i] is 0 or (byte)' ';
        for (; i < field.Length; i++)
        {
            if (field[i] is not (0 or (byte)' '))
            {
                terminated = false;
            }
        }
        if (digits == 0 || digits > 11 || !terminated)
        {
            throw new DebFormatException(file, $"{where}: {what} field '{OutputExtractor.Printable(Encoding.Latin1.GetString(field))}' is not octal");
        }
        return value;
    }

    // dpkg-deb names it './control'; tar extraction makes the same file of 'control', './/control' or './././control'.
    private static bool IsControl(string name)
    {
        var parts = name.Split('/', StringSplitOptions.RemoveEmptyEntries).Where(p => p != ".").ToArray();
        return parts is ["control"];
    }

    private static void Skip(Stream tar, long count, string file, string label)
    {
        var remaining = count;
        var buffer = new byte[Math.Min(remaining, 1 << 16)];
        while (remaining > 0)
        {
            var n = tar.Read(buffer, 0, (int)Math.Min(buffer.Length, remaining));
            if (n == 0)
            {
                throw new DebFormatException(file, $"{label}: truncated");
            }
            remaining -= n;
        }
    }

    // After the first zero block: only zeros to the end (tar writers pad to a record of 10240 bytes).
    private static void RequireZeros(Stream tar, byte[] buffer, string file, string member)
    {
        int n;
        while ((n = tar.Read(buffer, 0, buffer.Length)) > 0)
        {
            if (buffer.AsSpan(0, n).ContainsAnyExcept((byte)0))
            {
                throw new DebFormatException(file, $"{member}: data after the end-of-archive block");
            }
        }
    }

    private static long Padding(long size) => (Block - (size % Block)) % Block;

    private static string CString(ReadOnlySpan<byte> field)
    {
        var end = field.IndexOf((byte)0);
        return Encoding.UTF8.GetString(end < 0 ? field : field[..end]);
    }

    private static int ReadFully(Stream stream, Span<byte> buffer)
    {
        var filled = 0;
        while (filled < buffer.Length && stream.Read(buffer[filled..]) is var n and > 0)
        {
            filled += n;
        }
        return filled;
    }

    // One naming of tar entry types for both tars a guest makes (the output and each .deb's control member).
    private static string Describe(byte type) =>
        TarEntryTypes.IsRegular(type) ? "regular file" : TarEntryTypes.IsMetadata(type) ? TarEntryTypes.Metadata(type) : TarEntryTypes.Describe(type);
}
