using System.Globalization;
using System.Text;

namespace Builder.Vm.Tests.Output;

/// <summary>Writes tar headers by hand, so tests can make archives no well-behaved tar writer would.</summary>
internal sealed class TarBuilder
{
    private readonly MemoryStream _stream = new();

    public TarBuilder File(string name, byte[] data)
    {
        Header(name, '0', data.Length);
        _stream.Write(data);
        _stream.Write(new byte[(512 - data.Length % 512) % 512]);
        return this;
    }

    public TarBuilder File(string name, string text) => File(name, Encoding.UTF8.GetBytes(text));

    /// <summary>A metadata entry (PAX 'x' or 'g', GNU 'L' or 'K'): a header and its data, padded to the block.</summary>
    public TarBuilder Meta(char type, byte[] data, string name = "././@LongLink")
    {
        Header(name, type, data.Length);
        _stream.Write(data);
        _stream.Write(new byte[(512 - data.Length % 512) % 512]);
        return this;
    }

    /// <summary>A GNU long name ('L') for the entry that follows, NUL-terminated as GNU tar writes it.</summary>
    public TarBuilder LongName(string name) => Meta('L', Encoding.UTF8.GetBytes(name + "\0"));

    /// <summary>A PAX extended header ('x') of well-formed records "LEN key=value\n", one per pair.</summary>
    public TarBuilder Pax(params (string Key, string Value)[] records) => Meta('x', Encoding.UTF8.GetBytes(string.Concat(records.Select(r => PaxRecord(r.Key, r.Value)))), "PaxHeaders/x");

    /// <summary>One PAX record with its self-counting decimal length.</summary>
    public static string PaxRecord(string key, string value)
    {
        var body = $" {key}={value}\n";
        var length = Encoding.UTF8.GetByteCount(body);
        var digits = length.ToString(CultureInfo.InvariantCulture).Length;
        while ((length + digits).ToString(CultureInfo.InvariantCulture).Length != digits)
        {
            digits++;
        }
        return (length + digits).ToString(CultureInfo.InvariantCulture) + body;
    }

    /// <summary>A header only: no data follows (for fake sizes and non-regular types).</summary>
    public TarBuilder Header(string name, char type, long size, string link = "", int major = 0, int minor = 0) =>
        Header(name, type, size, edit: null, fixChecksum: true, link, major, minor);

    /// <summary>
    /// A header that <paramref name="edit"/> may change before the checksum is computed (raw size fields, magic);
    /// without <paramref name="fixChecksum"/> the checksum field keeps what <paramref name="edit"/> left there.
    /// </summary>
    public TarBuilder Header(string name, char type, long size, Action<byte[]>? edit, bool fixChecksum = true, string link = "", int major = 0, int minor = 0)
    {
        var block = new byte[512];
        void Put(int offset, int length, string value) => Encoding.ASCII.GetBytes(value).AsSpan(0, Math.Min(length, value.Length)).CopyTo(block.AsSpan(offset));
        string Octal(long v, int width) => Convert.ToString(v, 8).PadLeft(width - 1, '0');
        Put(0, 100, name);
        Put(100, 8, Octal(420, 8));
        Put(108, 8, Octal(0, 8));
        Put(116, 8, Octal(0, 8));
        Put(124, 12, Octal(size, 12));
        Put(136, 12, Octal(1_700_000_000, 12));
        Put(148, 8, "        ");
        block[156] = (byte)type;
        Put(157, 100, link);
        Put(257, 6, "ustar\0");
        Put(263, 2, "00");
        Put(265, 32, "root");
        Put(297, 32, "root");
        Put(329, 8, Octal(major, 8));
        Put(337, 8, Octal(minor, 8));
        edit?.Invoke(block);
        if (fixChecksum)
        {
            Put(148, 8, "        ");
            var sum = block.Sum(b => b);
            Put(148, 8, Convert.ToString(sum, 8).PadLeft(6, '0') + "\0 ");
        }
        _stream.Write(block);
        return this;
    }

    public TarBuilder Raw(byte[] bytes)
    {
        _stream.Write(bytes);
        return this;
    }

    public byte[] End()
    {
        _stream.Write(new byte[1024]);
        return _stream.ToArray();
    }

    public byte[] Unterminated() => _stream.ToArray();

    /// <summary>A .changes whose Checksums-Sha256 and Files sections list <paramref name="files"/>.</summary>
    public static string Changes(params (string Name, byte[] Data)[] files)
    {
        var text = new StringBuilder("Format: 1.8\nSource: builder-hello\nVersion: 1.0\nChecksums-Sha256:\n");
        foreach (var (name, data) in files)
        {
            text.Append(CultureInfo.InvariantCulture, $" {Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(data))} {data.Length} {name}\n");
        }
        text.Append("Files:\n");
        foreach (var (name, data) in files)
        {
            text.Append(CultureInfo.InvariantCulture, $" {Convert.ToHexStringLower(System.Security.Cryptography.MD5.HashData(data))} {data.Length} devel optional {name}\n");
        }
        return text.ToString();
    }
}
