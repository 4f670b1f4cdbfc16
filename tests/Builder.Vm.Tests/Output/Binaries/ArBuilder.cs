using System.Globalization;
using System.Text;

namespace Builder.Vm.Tests.Output.Binaries;

/// <summary>Writes ar archives by hand, so tests can make .debs no dpkg-deb would (wrong order, lying sizes, garbage).</summary>
internal sealed class ArBuilder
{
    private readonly MemoryStream _stream = new();

    public ArBuilder(string magic = "!<arch>\n") => _stream.Write(Encoding.ASCII.GetBytes(magic));

    public ArBuilder Member(string name, byte[] data, string? size = null, bool pad = true)
    {
        Header(name, size ?? data.Length.ToString(CultureInfo.InvariantCulture));
        _stream.Write(data);
        if (pad && data.Length % 2 == 1)
        {
            _stream.WriteByte((byte)'\n');
        }
        return this;
    }

    public ArBuilder Member(string name, string text) => Member(name, Encoding.ASCII.GetBytes(text));

    public ArBuilder Header(string name, string size)
    {
        var header = $"{name,-16}{"1700000000",-12}{"0",-6}{"0",-6}{"100644",-8}{size,-10}`\n";
        _stream.Write(Encoding.ASCII.GetBytes(header));
        return this;
    }

    public ArBuilder Raw(byte[] bytes)
    {
        _stream.Write(bytes);
        return this;
    }

    public byte[] Bytes() => _stream.ToArray();

    /// <summary>A .deb with the usual three members around the given control member.</summary>
    public static byte[] Deb(string controlMember, byte[] control) =>
        new ArBuilder().Member("debian-binary", "2.0\n").Member(controlMember, control).Member("data.tar.gz", Gzip(new TarBuilder().End())).Bytes();

    public static byte[] Gzip(byte[] data)
    {
        using var output = new MemoryStream();
        using (var gzip = new System.IO.Compression.GZipStream(output, System.IO.Compression.CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(data);
        }
        return output.ToArray();
    }
}
