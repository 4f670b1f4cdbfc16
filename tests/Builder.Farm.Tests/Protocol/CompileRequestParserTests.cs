using System.Buffers;
using System.Text;
using Builder.Farm.Protocol;
using Builder.Farm.Tests.Support;

namespace Builder.Farm.Tests.Protocol;

public sealed class CompileRequestParserTests
{
    private static readonly string[] Argv = ["x86_64-linux-gnu-gcc-12", "-O2", "-c", "hello.c", "-o", "hello.o"];
    private static readonly byte[] Source = Encoding.ASCII.GetBytes("# 1 \"hello.c\"\nint main(void) { return 0; }\n");

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void A_valid_request_parses_and_re_encodes_to_the_same_bytes(int version)
    {
        var bytes = Wire.Request(version, Argv, Source);

        Assert.True(CompileRequestParser.TryParse(new ReadOnlySequence<byte>(bytes), Wire.Limits(), out var request, out _));

        Assert.Equal((ProtocolVersion)version, request!.Version);
        Assert.Equal(Argv, request.Argv);
        Assert.Equal(Source, request.Source.ToArray());
        Assert.Equal(bytes, MessageWriter.Request(request));
    }

    [Fact]
    public void Every_truncation_asks_for_more_bytes_and_never_completes()
    {
        var bytes = Wire.Request(1, Argv, Source);
        for (var n = 0; n < bytes.Length; n++)
        {
            Assert.False(CompileRequestParser.TryParse(new ReadOnlySequence<byte>(bytes, 0, n), Wire.Limits(), out _, out var needed));
            Assert.InRange(needed, 1, bytes.Length - n);
        }
    }

    [Theory]
    [InlineData("DIST00000000", "DIST 00000000: only protocol versions 1 and 2 are supported")]
    [InlineData("DIST00000003", "DIST 00000003: protocol 3 (pump mode) is refused: it ships files by name")]
    [InlineData("DIST0000000g", "DIST header value '0000000g' is not 8 lowercase hex digits")]
    [InlineData("DIST0000000A", "DIST header value '0000000A' is not 8 lowercase hex digits")]
    [InlineData("DIST 0000001", "DIST header value ' 0000001' is not 8 lowercase hex digits")]
    [InlineData("dist00000001", "expected a DIST header, got 'dist'")]
    [InlineData("DIS\u000100000001", "expected a DIST header, got 'DIS\\x01'")]
    public void A_bad_DIST_header_is_refused_without_a_version(string header, string message)
    {
        var ex = Assert.Throws<ProtocolException>(() => Parse(Encoding.Latin1.GetBytes(header)));
        Assert.Equal(message, ex.Message);
        Assert.Null(ex.Version);
    }

    [Fact]
    public void An_embedded_NUL_is_refused_naming_the_argument_and_offset()
    {
        var bytes = Wire.Request(1, ["gcc", "-c", "ok.c\0-wrapper", "-o", "ok.o"], Source);
        var ex = Assert.Throws<ProtocolException>(() => Parse(bytes));
        Assert.Equal("ARGV 2 holds a NUL byte at offset 4", ex.Message);
        Assert.Equal(ProtocolVersion.Plain, ex.Version);
    }

    [Fact]
    public void ARGC_beyond_the_cap_is_refused_before_any_argument_is_read()
    {
        var bytes = Wire.Concat(Wire.Header("DIST", 1), Wire.Header("ARGC", 0x7fffffff));
        var ex = Assert.Throws<ProtocolException>(() => Parse(bytes));
        Assert.Equal("ARGC 2147483647 is outside 1..64 (Farm:MaxArgc)", ex.Message);
    }

    [Fact]
    public void ARGC_zero_is_refused()
    {
        var ex = Assert.Throws<ProtocolException>(() => Parse(Wire.Concat(Wire.Header("DIST", 2), Wire.Header("ARGC", 0))));
        Assert.Equal("ARGC 0 is outside 1..64 (Farm:MaxArgc)", ex.Message);
        Assert.Equal(ProtocolVersion.Lzo, ex.Version);
    }

    [Fact]
    public void An_ARGV_length_beyond_the_cap_is_refused_before_its_body_arrives()
    {
        var bytes = Wire.Concat(Wire.Header("DIST", 1), Wire.Header("ARGC", 2), Wire.Header("ARGV", 3), "gcc"u8.ToArray(), Wire.Header("ARGV", 0xffffffff));
        var ex = Assert.Throws<ProtocolException>(() => Parse(bytes));
        Assert.Equal("ARGV 1 is 4294967295 bytes, more than 256 (Farm:MaxArgLength)", ex.Message);
    }

    [Fact]
    public void A_DOTI_length_beyond_the_cap_is_refused_before_its_body_arrives()
    {
        var head = Wire.Request(1, ["gcc", "-c", "a.c", "-o", "a.o"], [])[..^12];
        var ex = Assert.Throws<ProtocolException>(() => Parse(Wire.Concat(head, Wire.Header("DOTI", 64 * 1024 + 1))));
        Assert.Equal("DOTI is 65537 bytes, more than 65536 (Farm:MaxSourceBytes)", ex.Message);
    }

    [Fact]
    public void An_LZO_bomb_is_refused_at_the_decompressed_cap()
    {
        var bomb = Lzo.Compress(new byte[4 * 1024 * 1024]);
        var head = Wire.Request(2, ["gcc", "-c", "a.c", "-o", "a.o"], [])[..^12];
        var bytes = Wire.Concat(head, Wire.Header("DOTI", (uint)bomb.Length), bomb);

        var ex = Assert.Throws<ProtocolException>(() => Parse(bytes));

        Assert.True(bomb.Length < 64 * 1024, "the bomb fits under the wire cap");
        Assert.Equal("DOTI decompresses to more than 262144 bytes (Farm:MaxDecompressedBytes)", ex.Message);
    }

    [Fact]
    public void Corrupt_LZO_data_is_refused()
    {
        var head = Wire.Request(2, ["gcc", "-c", "a.c", "-o", "a.o"], [])[..^12];
        var bytes = Wire.Concat(head, Wire.Header("DOTI", 5), [0xff, 0xff, 0xff, 0xff, 0xff]);
        var ex = Assert.Throws<ProtocolException>(() => Parse(bytes));
        Assert.StartsWith("DOTI is not valid LZO1X data (lzo error ", ex.Message);
    }

    [Fact]
    public void Invalid_UTF8_in_an_argument_is_refused()
    {
        var bytes = Wire.Concat(Wire.Header("DIST", 1), Wire.Header("ARGC", 1), Wire.Header("ARGV", 2), [0xc3, 0x28]);
        Assert.Equal("ARGV 0 is not valid UTF-8", Assert.Throws<ProtocolException>(() => Parse(bytes)).Message);
    }

    [Fact]
    public void A_wrong_token_in_place_of_DOTI_is_refused()
    {
        var head = Wire.Request(1, ["gcc"], [])[..^12];
        var ex = Assert.Throws<ProtocolException>(() => Parse(Wire.Concat(head, Wire.Header("NAME", 4))));
        Assert.Equal("expected a DOTI header, got 'NAME'", ex.Message);
    }

    private static void Parse(byte[] bytes) => CompileRequestParser.TryParse(new ReadOnlySequence<byte>(bytes), Wire.Limits(), out _, out _);
}
