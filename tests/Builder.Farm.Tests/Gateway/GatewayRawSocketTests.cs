using System.Text;
using Builder.Farm.Protocol;
using Builder.Farm.Records;
using Builder.Farm.Tests.Support;
using Builder.Tests.Common;

namespace Builder.Farm.Tests.Gateway;

/// <summary>
/// What the real client cannot send, sent over a raw socket: each is refused with the exact answer (or none when
/// the protocol version is unknown), recorded, and the farm's distccd logs no connection for it.
/// </summary>
[Trait(Categories.Name, Categories.Integration)]
public sealed class GatewayRawSocketTests(OwnFarm farm) : IClassFixture<OwnFarm>
{
    private static readonly byte[] Source = Encoding.ASCII.GetBytes("# 1 \"raw.c\"\nint raw(void) { return 5; }\n");

    [Fact]
    public async Task A_valid_raw_request_is_compiled_by_the_farm_which_logs_the_connection()
    {
        var before = farm.Connections();
        var (answer, record) = await ExchangeAsync(Wire.Request(1, ["gcc", "-O2", "-c", "raw.c", "-o", "raw.o"], Source));

        var response = Parse(answer, ProtocolVersion.Plain);
        Assert.Equal(0u, response.Status);
        Assert.True(response.Object.Length > 0);
        Assert.Equal(CompileOutcomes.Compiled, record.Outcome);
        Assert.Equal(before + 1, farm.Connections());
    }

    public static TheoryData<string, byte[], string?> Malformed => new()
    {
        { "embedded NUL", Wire.Request(1, ["gcc", "-c", "raw.c\0-wrapper", "-o", "raw.o"], Source), "ARGV 2 holds a NUL byte at offset 5" },
        { "non-hex header", Encoding.ASCII.GetBytes("DIST00000001ARGC0000000xARGV00000003gcc"), "ARGC header value '0000000x' is not 8 lowercase hex digits" },
        { "DIST 00000000", Wire.Request(0, ["gcc", "-c", "raw.c", "-o", "raw.o"], Source), null },
        { "DIST 00000003", Wire.Request(3, ["gcc", "-c", "raw.c", "-o", "raw.o"], Source), null },
        { "non-hex DIST", Encoding.ASCII.GetBytes("DISTzzzzzzzzARGC00000001"), null },
        { "huge ARGC", Wire.Concat(Wire.Header("DIST", 1), Wire.Header("ARGC", 0xffffffff)), "ARGC 4294967295 is outside 1..512 (Farm:MaxArgc)" },
        { "huge ARGV length", Wire.Concat(Wire.Header("DIST", 1), Wire.Header("ARGC", 1), Wire.Header("ARGV", 0x7fffffff)), "ARGV 0 is 2147483647 bytes, more than 4096 (Farm:MaxArgLength)" },
        { "DOTI beyond the cap", Wire.Concat(Wire.Request(1, ["gcc", "-c", "raw.c", "-o", "raw.o"], [])[..^12], Wire.Header("DOTI", 2 << 20), new byte[2 << 20]), "DOTI is 2097152 bytes, more than 1048576 (Farm:MaxSourceBytes)" },
        { "LZO bomb", Wire.Request(2, ["gcc", "-c", "raw.c", "-o", "raw.o"], new byte[64 << 20]), "DOTI decompresses to more than 1048576 bytes (Farm:MaxDecompressedBytes)" },
        { "close before DOTI", Wire.Request(1, ["gcc", "-c", "raw.c", "-o", "raw.o"], Source)[..^(Source.Length + 12)], "the peer closed the connection after 101 bytes, before the request was complete" },
    };

    [Theory]
    [MemberData(nameof(Malformed), DisableDiscoveryEnumeration = true)]
    public async Task A_malformed_stream_is_refused_with_the_exact_answer_and_never_reaches_the_farm(string what, byte[] request, string? error)
    {
        var before = farm.Connections();
        var (answer, record) = await ExchangeAsync(request);

        if (error is null)
        {
            Assert.True(answer.Length == 0, $"{what}: an unknown protocol version gets no answer, got {answer.Length} bytes");
        }
        else
        {
            var version = request[11] == (byte)'2' ? ProtocolVersion.Lzo : ProtocolVersion.Plain;
            Assert.Equal(MessageWriter.Response(CompileResponse.Refusal(version, "protocol error: " + error)), answer);
            Assert.Equal(error, record.Reason);
        }
        Assert.Equal(CompileOutcomes.ProtocolError, record.Outcome);
        Assert.Equal(0, record.Attempts);
        Assert.Null(record.Host);
        Assert.Equal(before, farm.Connections());
    }

    public static TheoryData<string[], string> RefusedArgv => new()
    {
        { ["gcc", "-MD", "-MF", "/tmp/deps", "-c", "raw.c", "-o", "raw.o"], "option '-MD' (argument 1) is refused: dependency output writes files on the farm host" },
        { ["gcc", "-x", "c", "-include", "/etc/shadow", "-c", "raw.c", "-o", "raw.o"], "'-x c' is refused: only preprocessed input (-x cpp-output, -x c++-cpp-output) is compiled on the farm" },
        { ["gcc", "-include", "/etc/shadow", "-c", "raw.c", "-o", "raw.o"], "option '-include' (argument 1) is refused: it reads a file on the farm host" },
        { ["gcc", "-specs=/tmp/evil", "-c", "raw.c", "-o", "raw.o"], "option '-specs=/tmp/evil' (argument 1) is refused: spec files change what the compiler driver runs" },
        { ["gcc", "-fplugin=/tmp/evil.so", "-c", "raw.c", "-o", "raw.o"], "option '-fplugin=/tmp/evil.so' (argument 1) is refused: plugins load code into the farm's compiler" },
        { ["gcc", "-Wp,-MD,/tmp/deps", "-c", "raw.c", "-o", "raw.o"], "option '-Wp,-MD,/tmp/deps' (argument 1) is refused: options passed to the preprocessor bypass the gateway's checks" },
        { ["gcc", "-Wl,-T,/etc/passwd", "-c", "raw.c", "-o", "raw.o"], "option '-Wl,-T,/etc/passwd' (argument 1) is refused: options passed to the linker bypass the gateway's checks" },
        { ["gcc", "@/etc/shadow", "-c", "raw.c", "-o", "raw.o"], "'@/etc/shadow' (argument 1) is refused: a response file reads a file on the farm host" },
        { ["g++", "-fmodules-ts", "-c", "raw.cc", "-o", "raw.o"], "option '-fmodules-ts' (argument 1) is refused: C++ modules read and write gcm.cache/ (or a mapper's files) on the farm host" },
        { ["g++", "-fmodule-mapper=/tmp/m", "-c", "raw.cc", "-o", "raw.o"], "option '-fmodule-mapper=/tmp/m' (argument 1) is refused: C++ modules read and write gcm.cache/ (or a mapper's files) on the farm host" },
        { ["g++", "-fdiagnostics-format=json-file", "-c", "raw.cc", "-o", "raw.o"], "option '-fdiagnostics-format=json-file' (argument 1) is refused: diagnostics formats can write files on the farm host" },
        { ["/bin/sh", "-c", "raw.c", "-o", "raw.o"], "compiler '/bin/sh' is not an allowed compiler" },
        { ["gcc", "-c", "../../raw.c", "-o", "raw.o"], "input '../../raw.c' (argument 2) is refused: '..' is not allowed" },
    };

    [Theory]
    [MemberData(nameof(RefusedArgv))]
    public async Task A_refused_argv_gets_status_1_and_a_SERR_line_and_never_reaches_the_farm(string[] argv, string reason)
    {
        var before = farm.Connections();
        var (answer, record) = await ExchangeAsync(Wire.Request(1, argv, Source));

        Assert.Equal(MessageWriter.Response(CompileResponse.Refusal(ProtocolVersion.Plain, "refused: " + reason)), answer);
        Assert.Equal("DONE00000001STAT00000100SERR", Encoding.ASCII.GetString(answer, 0, 28));
        Assert.Equal(CompileOutcomes.Refused, record.Outcome);
        Assert.Equal(reason, record.Reason);
        Assert.Equal(argv, record.Argv);
        Assert.Equal(before, farm.Connections());
    }

    private async Task<(byte[] Answer, CompileJobRecord Record)> ExchangeAsync(byte[] request)
    {
        await using var gateway = new TestGateway(farm.Hosts, o =>
        {
            o.MaxSourceBytes = 1 << 20;
            o.MaxDecompressedBytes = 1 << 20;
        });
        await using var listener = await gateway.Gateway.OpenAsync(21, CancellationToken.None);
        var answer = await RawClient.ExchangeAsync(listener.Endpoint, request);
        await listener.CloseAsync(CancellationToken.None);
        return (answer, Assert.Single(gateway.Sink.Records));
    }

    private static CompileResponse Parse(byte[] answer, ProtocolVersion version)
    {
        Assert.True(ResponseParser.TryParse(new System.Buffers.ReadOnlySequence<byte>(answer), version, Wire.Limits(maxResult: 1 << 20), out var r, out _));
        return r!;
    }
}
