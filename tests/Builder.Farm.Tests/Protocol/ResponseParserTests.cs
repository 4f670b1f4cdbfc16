using System.Buffers;
using System.Text;
using Builder.Farm.Protocol;
using Builder.Farm.Tests.Support;

namespace Builder.Farm.Tests.Protocol;

public sealed class ResponseParserTests
{
    [Theory]
    [InlineData(ProtocolVersion.Plain)]
    [InlineData(ProtocolVersion.Lzo)]
    public void A_response_round_trips_through_writer_and_parser(ProtocolVersion version)
    {
        var response = new CompileResponse(version, 0, Encoding.ASCII.GetBytes("warning: x\n"), ReadOnlyMemory<byte>.Empty, Enumerable.Range(0, 5000).Select(i => (byte)(i % 7)).ToArray());
        var bytes = MessageWriter.Response(response);

        Assert.True(ResponseParser.TryParse(new ReadOnlySequence<byte>(bytes), version, Wire.Limits(), out var parsed, out _));

        Assert.Equal(response.Status, parsed!.Status);
        Assert.Equal(response.Stderr.ToArray(), parsed.Stderr.ToArray());
        Assert.Equal(response.Object.ToArray(), parsed.Object.ToArray());
        Assert.True(parsed.Stdout.IsEmpty);
    }

    [Fact]
    public void A_refusal_is_status_1_with_one_SERR_line_and_nothing_else()
    {
        var bytes = MessageWriter.Response(CompileResponse.Refusal(ProtocolVersion.Plain, "refused: no"));
        Assert.Equal("DONE00000001STAT00000100SERR0000001dbuilder gateway: refused: no\nSOUT00000000DOTO00000000", Encoding.ASCII.GetString(bytes));
    }

    [Fact]
    public void A_DONE_in_another_version_is_refused()
    {
        var bytes = MessageWriter.Response(CompileResponse.Refusal(ProtocolVersion.Lzo, "x"));
        var ex = Assert.Throws<ProtocolException>(() => ResponseParser.TryParse(new ReadOnlySequence<byte>(bytes), ProtocolVersion.Plain, Wire.Limits(), out _, out _));
        Assert.Equal("DONE 00000002 does not answer protocol 1", ex.Message);
    }

    [Fact]
    public void An_object_beyond_the_result_cap_is_refused()
    {
        var bytes = Wire.Concat(Wire.Header("DONE", 1), Wire.Header("STAT", 0), Wire.Header("SERR", 0), Wire.Header("SOUT", 0), Wire.Header("DOTO", 0x10000000));
        var ex = Assert.Throws<ProtocolException>(() => ResponseParser.TryParse(new ReadOnlySequence<byte>(bytes), ProtocolVersion.Plain, Wire.Limits(), out _, out _));
        Assert.Equal("DOTO is 268435456 bytes, more than 262144 (Farm:MaxResultBytes)", ex.Message);
    }
}
