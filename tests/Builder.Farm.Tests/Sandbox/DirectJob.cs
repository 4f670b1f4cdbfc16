using System.Buffers;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Builder.Farm.Protocol;
using Builder.Farm.Tests.Support;

namespace Builder.Farm.Tests.Sandbox;

/// <summary>One compile job sent straight to a distccd (no gateway), so only the farm host's own sandbox stands.</summary>
internal sealed record DirectJob(uint Status, string Stderr, byte[] Object)
{
    public bool Compiled => Status == 0 && Object.Length > 0;

    public override string ToString() => $"status 0x{Status:x}, {Object.Length} object bytes, stderr: {Stderr}";

    /// <param name="argv">the whole argv as distccd gets it, e.g. <c>x86_64-linux-gnu-gcc-12 -c a.c -o a.o</c>.</param>
    /// <param name="source">the preprocessed source (DOTI).</param>
    public static async Task<DirectJob> RunAsync(int port, IReadOnlyList<string> argv, string source)
    {
        // Not RawClient: distccd kills a job whose client half-closes (dcc_collect_child "Client fd disconnected").
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, port);
        var stream = client.GetStream();
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await stream.WriteAsync(Wire.Request(1, argv, Encoding.UTF8.GetBytes(source)), cts.Token);
        using var received = new MemoryStream();
        await stream.CopyToAsync(received, cts.Token);
        var answer = received.ToArray();
        Assert.True(ResponseParser.TryParse(new ReadOnlySequence<byte>(answer), ProtocolVersion.Plain, Wire.Limits(maxResult: 16 << 20), out var r, out _),
            $"distccd's answer does not parse ({answer.Length} bytes)");
        return new DirectJob(r!.Status, Encoding.UTF8.GetString(r.Stderr.Span), r.Object.ToArray());
    }

    /// <summary>A C job whose object embeds <paramref name="path"/> with <c>.incbin</c>, the farm-side file read.</summary>
    public static Task<DirectJob> IncbinAsync(int port, string path) =>
        RunAsync(port, ["x86_64-linux-gnu-gcc-12", "-c", "incbin.c", "-o", "incbin.o"],
            $"# 1 \"incbin.c\"\n__asm__(\".section .rodata\\n.incbin \\\"{path}\\\"\\n\");\nint incbin_unit(void) {{ return 0; }}\n");
}
