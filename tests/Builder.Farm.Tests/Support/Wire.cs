using System.Text;
using Builder.Farm.Protocol;

namespace Builder.Farm.Tests.Support;

/// <summary>Hand-built protocol bytes for tests (independent of MessageWriter, so the writer is tested too).</summary>
internal static class Wire
{
    public static byte[] Header(string token, uint value) => Encoding.ASCII.GetBytes($"{token}{value:x8}");

    public static byte[] Request(int version, IEnumerable<string> argv, byte[] doti)
    {
        var args = argv.ToList();
        using var ms = new MemoryStream();
        ms.Write(Header("DIST", (uint)version));
        ms.Write(Header("ARGC", (uint)args.Count));
        foreach (var a in args)
        {
            var b = Encoding.UTF8.GetBytes(a);
            ms.Write(Header("ARGV", (uint)b.Length));
            ms.Write(b);
        }
        var body = version == 2 && doti.Length > 0 ? Lzo.Compress(doti) : doti;
        ms.Write(Header("DOTI", (uint)body.Length));
        ms.Write(body);
        return ms.ToArray();
    }

    public static byte[] Concat(params byte[][] parts) => [.. parts.SelectMany(p => p)];

    public static ProtocolLimits Limits(int maxArgc = 64, int maxArgLength = 256, int maxSource = 64 * 1024, int maxDecompressed = 256 * 1024, int maxResult = 256 * 1024) =>
        new(maxArgc, maxArgLength, maxSource, maxDecompressed, maxResult);
}
