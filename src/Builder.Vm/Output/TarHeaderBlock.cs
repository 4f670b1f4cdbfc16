using System.Buffers.Binary;
using System.Text;

namespace Builder.Vm.Output;

/// <summary>
/// The fields of one raw 512-byte tar header that decide where the next header starts and what the entry is,
/// parsed strictly: checksum, type flag, size (octal or GNU base-256) and name (ustar prefix included).
/// </summary>
internal static class TarHeaderBlock
{
    public const int Size = 512;

    /// <summary>The most any size field may say: far above a real artifact, far below what overflows a reader.</summary>
    public const long MaxSaneSize = 1L << 40;

    private const int ChecksumOffset = 148;

    public static bool IsZero(ReadOnlySpan<byte> block) => !block.ContainsAnyExcept((byte)0);

    public static byte Type(ReadOnlySpan<byte> block) => block[156];

    /// <summary>Null when the stored checksum matches the block's unsigned byte sum (checksum field as spaces), else why not.</summary>
    public static string? CheckChecksum(ReadOnlySpan<byte> block)
    {
        var field = block.Slice(ChecksumOffset, 8);
        if (ParseOctal(field) is not { } stored)
        {
            return $"checksum field '{OutputExtractor.Printable(Text(field), 20)}' is not octal";
        }
        long sum = 0;
        for (var i = 0; i < Size; i++)
        {
            sum += i is >= ChecksumOffset and < ChecksumOffset + 8 ? (byte)' ' : block[i];
        }
        return sum == stored ? null : $"header checksum {stored} does not match the header's sum {sum}";
    }

    /// <summary>The size field as a byte count; null with <paramref name="problem"/> set when it is malformed, negative or above the bound.</summary>
    public static long? ParseSize(ReadOnlySpan<byte> block, out string? problem)
    {
        var field = block.Slice(124, 12);
        problem = null;
        if ((field[0] & 0x80) != 0)
        {
            // GNU base-256: the first byte's high bit marks it, 0xff starts a negative number.
            if (field[0] == 0xff)
            {
                problem = "size field (base-256) is negative";
                return null;
            }
            if ((field[0] & 0x7f) != 0 || field[1] != 0 || field[2] != 0 || field[3] != 0
                || BinaryPrimitives.ReadInt64BigEndian(field[4..]) is var value && (value < 0 || value > MaxSaneSize))
            {
                problem = "size field (base-256) is above 2^40 bytes";
                return null;
            }
            return value;
        }
        if (ParseOctal(field) is { } octal)
        {
            return octal;
        }
        problem = $"size field '{OutputExtractor.Printable(Text(field), 20)}' is not octal";
        return null;
    }

    /// <summary>The entry's name as the header spells it: ustar's prefix, a slash and the name; GNU headers have no prefix.</summary>
    public static string Name(ReadOnlySpan<byte> block)
    {
        var name = Text(block[..100]);
        var ustar = block.Slice(257, 6).SequenceEqual("ustar\0"u8);
        var prefix = ustar ? Text(block.Slice(345, 155)) : "";
        return prefix.Length > 0 ? prefix + "/" + name : name;
    }

    /// <summary>Text up to the first NUL, as UTF-8 (as TarReader reads names).</summary>
    public static string Text(ReadOnlySpan<byte> field)
    {
        var end = field.IndexOf((byte)0);
        return Encoding.UTF8.GetString(end < 0 ? field : field[..end]);
    }

    // Leading spaces, octal digits, then only NULs and spaces: how every writer we accept pads numeric fields.
    private static long? ParseOctal(ReadOnlySpan<byte> field)
    {
        var i = 0;
        while (i < field.Length && field[i] == (byte)' ')
        {
            i++;
        }
        long value = 0;
        while (i < field.Length && field[i] is >= (byte)'0' and <= (byte)'7')
        {
            value = (value * 8) + (field[i] - '0');
            i++;
        }
        return field[i..].ContainsAnyExcept((byte)0, (byte)' ') ? null : value;
    }
}
