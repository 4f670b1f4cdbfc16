using Builder.Farm.Records;
using Builder.Farm.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace Builder.Farm.Tests.Records;

public sealed class BuildJobRecorderTests
{
    [Fact]
    public async Task Records_reach_the_sink_in_sequence_order_in_bounded_batches_and_the_summary_matches()
    {
        var sink = new BatchCheckingSink(maxBatch: 7);
        await using var recorder = new BuildJobRecorder(5, 2, sink, 7, NullLogger.Instance);

        await Parallel.ForAsync(0, 200, async (i, ct) =>
        {
            await Task.Yield();
            recorder.Add(seq => Record(seq, i));
        });
        var summary = await recorder.CompleteAsync();

        Assert.Equal(Enumerable.Range(1, 200), sink.Records.Select(r => r.Seq));
        // Filed under the build attempt the recorder is for; the attempt is not part of the digest.
        Assert.All(sink.Records, r => Assert.Equal(2, r.BuildAttempt));
        Assert.Equal(new CompileSummary(200, CompileJobDigest.Of(sink.Records)), summary);
    }

    [Fact]
    public async Task A_sink_that_keeps_failing_makes_completion_fail_naming_the_build()
    {
        await using var recorder = new BuildJobRecorder(77, 1, new FailingSink(), 10, NullLogger.Instance);
        recorder.Add(seq => Record(seq, 0));

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(recorder.CompleteAsync);

        Assert.Equal("compile-job records of build 77 could not be stored: database is gone", ex.Message);
    }

    private static CompileJobRecord Record(int seq, int i) => new(5, seq, DateTimeOffset.UnixEpoch, i, null, CompileOutcomes.Refused, null,
        ["gcc", $"-o{i}"], null, null, null, 0, null, "x");

    private sealed class BatchCheckingSink(int maxBatch) : ICompileJobSink
    {
        private readonly RecordingSink _inner = new();

        public IReadOnlyList<CompileJobRecord> Records => _inner.Records;

        public Task WriteAsync(IReadOnlyList<CompileJobRecord> batch, CancellationToken cancellationToken)
        {
            Assert.InRange(batch.Count, 1, maxBatch);
            return _inner.WriteAsync(batch, cancellationToken);
        }
    }

    private sealed class FailingSink : ICompileJobSink
    {
        public Task WriteAsync(IReadOnlyList<CompileJobRecord> batch, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("database is gone");
    }
}
