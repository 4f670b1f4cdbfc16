using System.Text;
using Builder.Farm.Protocol;
using Builder.Farm.Tests.Support;

namespace Builder.Farm.Tests.Protocol;

public sealed class MessageReaderTests
{
    private static readonly string[] Argv = ["gcc", "-c", "a.c", "-o", "a.o"];

    [Fact]
    public async Task A_request_announcing_64_MiB_that_sends_4_KiB_costs_a_buffer_near_what_arrived_not_what_was_announced()
    {
        var head = Wire.Request(1, Argv, [])[..^12];
        var sent = Wire.Concat(head, Wire.Header("DOTI", 64 << 20), new byte[4096]);
        var stream = new StallingStream(sent);
        using var cts = new CancellationTokenSource();

        var buffer = new MessageBuffer(stream, "request");
        var parsed = await MessageReader.ReadRequestHeadAsync(buffer, Wire.Limits(maxSource: 64 << 20), cts.Token);
        var body = MessageReader.ReadRequestBodyAsync(buffer, parsed, Wire.Limits(maxSource: 64 << 20), null, cts.Token);
        await stream.Drained.WaitAsync(TimeSpan.FromMinutes(1));
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => body);

        Assert.Equal(Argv, parsed.Argv);
        Assert.Equal(64u << 20, parsed.SourceLength);
        Assert.True(stream.LargestReadBuffer <= 64 * 1024, $"the reader offered a {stream.LargestReadBuffer}-byte buffer for {sent.Length} bytes received");
    }

    [Fact]
    public async Task The_head_is_read_without_the_body_so_a_body_never_sent_is_never_buffered()
    {
        var sent = Wire.Concat(Wire.Request(1, Argv, [])[..^12], Wire.Header("DOTI", 1 << 20));
        var stream = new StallingStream(sent);

        var head = await MessageReader.ReadRequestHeadAsync(new MessageBuffer(stream, "request"), Wire.Limits(maxSource: 1 << 20), CancellationToken.None);

        Assert.Equal(sent.Length, head.Length);
        Assert.Equal(1u << 20, head.SourceLength);
    }

    [Fact]
    public async Task A_budget_without_room_refuses_the_body_before_it_is_buffered()
    {
        var source = Encoding.ASCII.GetBytes(new string('x', 200_000));
        var stream = new MemoryStream(Wire.Request(1, Argv, source));
        var buffer = new MessageBuffer(stream, "request");
        var head = await MessageReader.ReadRequestHeadAsync(buffer, Wire.Limits(maxSource: 1 << 20), CancellationToken.None);

        var e = await Assert.ThrowsAsync<ByteBudgetExceededException>(() =>
            MessageReader.ReadRequestBodyAsync(buffer, head, Wire.Limits(maxSource: 1 << 20), new FixedBudget(64 * 1024), CancellationToken.None));

        Assert.Contains("64 KiB budget", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_whole_request_still_reads_as_before_through_head_and_body()
    {
        var source = Encoding.ASCII.GetBytes("int a;\n");
        var request = await MessageReader.ReadRequestAsync(new MemoryStream(Wire.Request(2, Argv, source)), Wire.Limits(), CancellationToken.None);

        Assert.Equal(ProtocolVersion.Lzo, request.Version);
        Assert.Equal(source, request.Source.ToArray());
    }

    private sealed class FixedBudget(long limit) : IByteBudget
    {
        private long _charged;

        public void Charge(long bytes)
        {
            if (_charged + bytes > limit)
            {
                throw new ByteBudgetExceededException($"{limit / 1024} KiB budget");
            }
            _charged += bytes;
        }
    }
}
