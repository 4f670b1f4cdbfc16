using Builder.Farm.Records;
using Builder.Farm.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Builder.Farm.Tests.Records;

public sealed class BuildJobRecorderTests
{
    [Fact]
    public async Task Records_reach_the_sink_in_sequence_order_in_bounded_batches_and_the_summary_matches()
    {
        var sink = new BatchCheckingSink(maxBatch: 7);
        await using var recorder = new BuildJobRecorder(5, 2, sink, 7, TimeSpan.Zero, TimeProvider.System, NullLogger.Instance);

        await Parallel.ForAsync(0, 200, async (i, ct) =>
        {
            await Task.Yield();
            await recorder.AddAsync(seq => Record(seq, i));
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
        await using var recorder = new BuildJobRecorder(77, 1, new FailingSink(), 10, TimeSpan.FromSeconds(1), TimeProvider.System, NullLogger.Instance);
        await recorder.AddAsync(seq => Record(seq, 0));

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(recorder.CompleteAsync);

        Assert.Equal("compile-job records of build 77 could not be stored: database is gone", ex.Message);
    }

    [Fact]
    public async Task Records_finishing_within_the_flush_interval_are_written_together_when_it_ends()
    {
        var time = new FakeTimeProvider();
        var sink = new RecordingSink();
        await using var recorder = new BuildJobRecorder(5, 1, sink, 100, TimeSpan.FromSeconds(1), time, NullLogger.Instance);

        for (var i = 0; i < 3; i++)
        {
            await recorder.AddAsync(seq => Record(seq, i));
        }
        await WaitUntilAsync(() =>
        {
            time.Advance(TimeSpan.FromSeconds(1)); // the interval ends only when the fake clock moves
            return sink.Records.Count == 3;
        });

        Assert.Equal([3], sink.BatchSizes);
        Assert.Equal([1, 2, 3], sink.Records.Select(r => r.Seq));
    }

    [Fact]
    public async Task Completion_writes_the_collected_records_without_waiting_for_the_interval()
    {
        var sink = new RecordingSink();
        await using var recorder = new BuildJobRecorder(5, 1, sink, 100, TimeSpan.FromMinutes(1), new FakeTimeProvider(), NullLogger.Instance);
        await recorder.AddAsync(seq => Record(seq, 0));
        await recorder.AddAsync(seq => Record(seq, 1));

        var summary = await recorder.CompleteAsync(); // the fake clock never moves

        Assert.Equal([1, 2], sink.Records.Select(r => r.Seq));
        Assert.Equal(new CompileSummary(2, CompileJobDigest.Of(sink.Records)), summary);
    }

    [Fact]
    public async Task A_full_batch_is_written_without_waiting_for_the_interval()
    {
        var sink = new RecordingSink();
        await using var recorder = new BuildJobRecorder(5, 1, sink, 3, TimeSpan.FromMinutes(1), new FakeTimeProvider(), NullLogger.Instance);

        for (var i = 0; i < 7; i++)
        {
            await recorder.AddAsync(seq => Record(seq, i));
        }
        await WaitUntilAsync(() => sink.Records.Count == 6); // the fake clock never moves: only full batches go

        Assert.Equal([3, 3], sink.BatchSizes);
        await recorder.CompleteAsync();
        Assert.Equal([3, 3, 1], sink.BatchSizes);
        Assert.Equal(Enumerable.Range(1, 7), sink.Records.Select(r => r.Seq));
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        // Real time only bounds the wait for the writer loop on the thread pool; the recorder's clock is fake.
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!condition())
        {
            await Task.Delay(5, timeout.Token);
        }
    }

    [Fact]
    public async Task A_full_record_queue_makes_the_next_job_wait_for_the_database_and_counts_the_hit_but_drops_nothing()
    {
        using var hits = new Builder.Tests.Common.LimitHitsListener();
        var sink = new GatedSink();
        var notices = new Builder.Farm.Gateway.GatewayLimitNotices();
        var buildLog = new System.Collections.Concurrent.ConcurrentQueue<string>();
        notices.Sink = buildLog.Enqueue;
        await using var recorder = new BuildJobRecorder(5, 1, sink, 1, TimeSpan.Zero, TimeProvider.System, NullLogger.Instance, queueCapacity: 2,
            notices: notices);

        // The writer takes the first record and blocks in the sink; two more fill the queue.
        await recorder.AddAsync(seq => Record(seq, 0));
        await sink.Entered.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await recorder.AddAsync(seq => Record(seq, 1));
        await recorder.AddAsync(seq => Record(seq, 2));
        var fourth = recorder.AddAsync(seq => Record(seq, 3));

        Assert.False(fourth.IsCompleted, "the fourth record must wait while the queue is full");
        Assert.True(hits.Hits("Farm:RecordQueueCapacity") >= 1);
        Assert.StartsWith("compile farm gateway: this build reached Farm:RecordQueueCapacity; ", Assert.Single(buildLog), StringComparison.Ordinal);
        sink.Open.SetResult();
        await fourth.WaitAsync(TimeSpan.FromSeconds(30));
        var summary = await recorder.CompleteAsync();
        Assert.Equal(4, summary.Count);
        Assert.Equal(Enumerable.Range(1, 4), sink.Records.Select(r => r.Seq));
    }

    [Fact]
    public async Task A_stored_argv_is_capped_before_it_is_digested()
    {
        var sink = new RecordingSink();
        await using var recorder = new BuildJobRecorder(5, 1, sink, 10, TimeSpan.Zero, TimeProvider.System, NullLogger.Instance, maxArgvBytes: 300);

        await recorder.AddAsync(seq => Record(seq, 0) with { Argv = [.. Enumerable.Repeat(new string('x', 100), 512)] });
        var summary = await recorder.CompleteAsync();

        var stored = Assert.Single(sink.Records);
        Assert.Equal(4, stored.Argv.Count);
        Assert.Equal($"…[argv truncated: {(512 * 100) - 300} more bytes]", stored.Argv[^1]);
        Assert.Equal(CompileJobDigest.Of(sink.Records), summary.Digest);
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

    private sealed class GatedSink : ICompileJobSink
    {
        private readonly RecordingSink _inner = new();

        public TaskCompletionSource Entered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Open { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public IReadOnlyList<CompileJobRecord> Records => _inner.Records;

        public async Task WriteAsync(IReadOnlyList<CompileJobRecord> batch, CancellationToken cancellationToken)
        {
            Entered.TrySetResult();
            await Open.Task;
            await _inner.WriteAsync(batch, cancellationToken);
        }
    }
}
