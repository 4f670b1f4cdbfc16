using Builder.Farm.Gateway;
using System.Threading.Channels;
using Builder.Core.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Builder.Farm.Records;

/// <summary>
/// Numbers one build's compile jobs in the order they finish, keeps the running digest, and writes the records to
/// the sink in batches from a single writer loop (so rows of a build arrive in order). Records are digested at once;
/// the writer collects them for up to the flush interval (or a full batch) and stores them together, so a busy build
/// costs one sink write per interval instead of one per job. <see cref="CompleteAsync"/> writes what is left at once.
/// </summary>
internal sealed partial class BuildJobRecorder : IAsyncDisposable
{
    private readonly long _buildId;
    private readonly int _buildAttempt;
    private readonly ICompileJobSink _sink;
    private readonly int _batchSize;
    private readonly TimeSpan _flushInterval;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _completing = new();
    private readonly Lock _lock = new();
    private readonly CompileJobDigest _digest = new();
    // Serialises Add across jobs: the sequence number, the digest and the queue order must agree, and a full queue
    // makes the adder wait (an async wait, which a Lock cannot span).
    private readonly SemaphoreSlim _order = new(1, 1);
    private readonly Channel<CompileJobRecord> _pending;
    private readonly int _maxArgvBytes;
    private readonly Task _writer;
    private Exception? _sinkFailure;
    private TaskCompletionSource? _batchFull; // set while the writer collects; guarded by _lock
    private readonly GatewayLimitNotices? _notices;
    private bool _waiting; // the queue was full at the last add (so one episode logs once); guarded by _order

    // queueCapacity is Farm:RecordQueueCapacity (records queued before adders wait), maxArgvBytes Farm:MaxRecordedArgvBytes.
    public BuildJobRecorder(long buildId, int buildAttempt, ICompileJobSink sink, int batchSize, TimeSpan flushInterval, TimeProvider time, ILogger logger,
        int queueCapacity = 10_000, int maxArgvBytes = 16 * 1024, GatewayLimitNotices? notices = null)
    {
        _notices = notices;
        // Not SingleReader: that variant cannot count what is queued, and the writer's batching needs the count.
        // Wait, never drop: the build-end digest covers every job, so every record it covers must be stored.
        _pending = Channel.CreateBounded<CompileJobRecord>(new BoundedChannelOptions(queueCapacity) { FullMode = BoundedChannelFullMode.Wait });
        _maxArgvBytes = maxArgvBytes;
        _buildId = buildId;
        _buildAttempt = buildAttempt;
        _sink = sink;
        _batchSize = batchSize;
        _flushInterval = flushInterval;
        _time = time;
        _logger = logger;
        _writer = Task.Run(WriteLoopAsync);
    }

    public CompileSummary Summary
    {
        get
        {
            lock (_lock)
            {
                return new CompileSummary(_digest.Count, _digest.Current());
            }
        }
    }

    /// <summary>
    /// Gives the job the next sequence number, caps its argv, digests it and queues it for the sink; waits while the
    /// queue is full (Farm:RecordQueueCapacity: the database is behind).
    /// </summary>
    public async Task<CompileJobRecord> AddAsync(Func<int, CompileJobRecord> create)
    {
        await _order.WaitAsync();
        try
        {
            CompileJobRecord record;
            lock (_lock)
            {
                record = create(_digest.Count + 1) with { BuildAttempt = _buildAttempt };
            }
            record = record with { Argv = RecordedArgv.Cap(record.Argv, _maxArgvBytes) };
            if (!_pending.Writer.TryWrite(record))
            {
                if (!_waiting)
                {
                    _waiting = true;
                    LimitHits.Record("Farm:RecordQueueCapacity");
                    Log.QueueFull(_logger, _buildId, _pending.Reader.Count);
                    _notices?.Reached("Farm:RecordQueueCapacity", "its compile jobs wait until the database has taken their records");
                }
                try
                {
                    await _pending.Writer.WriteAsync(record);
                }
                catch (ChannelClosedException)
                {
                    // Completed while waiting: the record is digested (as every job is), the close reports the sum.
                }
            }
            else
            {
                _waiting = false;
            }
            lock (_lock)
            {
                _digest.Add(record);
                if (_batchFull is not null && _pending.Reader.Count >= _batchSize)
                {
                    _batchFull.TrySetResult();
                }
            }
            return record;
        }
        finally
        {
            _order.Release();
        }
    }

    /// <summary>Writes what is queued and returns the final summary.</summary>
    /// <exception cref="InvalidOperationException">the sink failed: the records are not all stored.</exception>
    public async Task<CompileSummary> CompleteAsync()
    {
        _pending.Writer.TryComplete();
        await _completing.CancelAsync();
        await _writer;
        if (_sinkFailure is not null)
        {
            throw new InvalidOperationException($"compile-job records of build {_buildId} could not be stored: {_sinkFailure.Message}", _sinkFailure);
        }
        return Summary;
    }

    public async ValueTask DisposeAsync()
    {
        _pending.Writer.TryComplete();
        await _completing.CancelAsync();
        await _writer;
        _digest.Dispose();
        _completing.Dispose();
        _order.Dispose();
    }

    private async Task WriteLoopAsync()
    {
        var batch = new List<CompileJobRecord>(_batchSize);
        var reader = _pending.Reader;
        while (await reader.WaitToReadAsync())
        {
            if (_flushInterval > TimeSpan.Zero && !_completing.IsCancellationRequested)
            {
                await CollectAsync(reader);
            }
            while (batch.Count < _batchSize && reader.TryRead(out var record))
            {
                batch.Add(record);
            }
            await WriteBatchAsync(batch);
            batch.Clear();
        }
    }

    /// <summary>
    /// Lets the jobs that finish meanwhile join this batch: waits for the flush interval, a full batch or completion,
    /// whichever comes first.
    /// </summary>
    private async Task CollectAsync(ChannelReader<CompileJobRecord> reader)
    {
        var full = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_lock)
        {
            if (reader.Count >= _batchSize)
            {
                return;
            }
            _batchFull = full;
        }
        using var stopWaiting = CancellationTokenSource.CreateLinkedTokenSource(_completing.Token);
        await Task.WhenAny(Task.Delay(_flushInterval, _time, stopWaiting.Token), full.Task);
        await stopWaiting.CancelAsync(); // the interval's timer, when the batch filled first
        lock (_lock)
        {
            _batchFull = null;
        }
    }

    private async Task WriteBatchAsync(List<CompileJobRecord> batch)
    {
        // A failed batch is retried a few times (the database may restart); after that the failure is kept and
        // reported when the build closes its listener, because an audit trail with holes must not look complete.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                // Not cancellable: records of jobs that ran must be written even while the build is being torn down.
                await _sink.WriteAsync(batch.ToArray(), CancellationToken.None);
                return;
            }
            catch (Exception e) when (attempt < 4)
            {
                Log.SinkRetry(_logger, _buildId, batch.Count, attempt, e);
                await Task.Delay(TimeSpan.FromMilliseconds(200 * attempt));
            }
            catch (Exception e)
            {
                Log.SinkFailed(_logger, _buildId, batch.Count, e);
                _sinkFailure ??= e;
                return;
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 6303, Level = LogLevel.Warning,
            Message = "Build {BuildId}: {Count} compile-job records are waiting for the database; the build's jobs wait too (Farm:RecordQueueCapacity)")]
        public static partial void QueueFull(ILogger logger, long buildId, int count);

        [LoggerMessage(EventId = 6301, Level = LogLevel.Warning, Message = "Storing {Count} compile-job records of build {BuildId} failed (attempt {Attempt}); retrying")]
        public static partial void SinkRetry(ILogger logger, long buildId, int count, int attempt, Exception exception);

        [LoggerMessage(EventId = 6302, Level = LogLevel.Error, Message = "Storing {Count} compile-job records of build {BuildId} failed for good")]
        public static partial void SinkFailed(ILogger logger, long buildId, int count, Exception exception);
    }
}
