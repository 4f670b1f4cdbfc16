using System.Globalization;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Builder.Core.Diagnostics;
using Builder.Farm.Policy;
using Builder.Farm.Records;
using Microsoft.Extensions.Logging;

namespace Builder.Farm.Gateway;

/// <summary>
/// One build's gateway port on 127.0.0.1. Every connection is one compile job of this build; at most
/// <see cref="FarmOptions.PerBuildConcurrency"/> of them are on the farm at once.
/// </summary>
public sealed partial class GatewayListener : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _closing = new();
    private readonly BuildJobRecorder _recorder;
    private readonly CompileJobHandler _handler;
    private readonly ConcurrentDictionary<int, Task> _jobs = new();
    private readonly Task _acceptLoop;
    private readonly ILogger _logger;
    private readonly int _maxConnections;
    private readonly TimeProvider _time;
    private Task<CompileSummary>? _closed;
    private int _nextJob;
    private int _open;
    private int _closedUnlogged;
    private long _lastLimitLogAt;

    internal GatewayListener(long buildId, int buildAttempt, string pool, FarmOptions options, JobPolicy policy, FarmForwarder forwarder, ICompileJobSink sink,
        TimeProvider time, ILogger logger)
    {
        BuildId = buildId;
        Pool = pool;
        _logger = logger;
        _time = time;
        _maxConnections = options.MaxConnectionsPerBuild;
        _recorder = new BuildJobRecorder(buildId, buildAttempt, sink, options.RecordBatchSize, options.RecordFlushInterval, time, logger,
            options.RecordQueueCapacity, options.MaxRecordedArgvBytes, LimitNotices);
        _handler = new CompileJobHandler(buildId, pool, options, policy, forwarder, _recorder, time, logger, LimitNotices);
        // Loopback only: the VM reaches this port through its own forwarder, nothing else should.
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start(backlog: 128);
        Endpoint = (IPEndPoint)_listener.LocalEndpoint;
        Log.Opened(_logger, buildId, Endpoint.Port, pool);
        _acceptLoop = AcceptLoopAsync(_closing.Token);
    }

    public long BuildId { get; }

    /// <summary>The build-log lines for this build's limit hits; set <see cref="GatewayLimitNotices.Sink"/> right after opening.</summary>
    public GatewayLimitNotices LimitNotices { get; } = new();

    /// <summary>The farm pool this build's jobs go to (and only to).</summary>
    public string Pool { get; }

    /// <summary>Where the build's distcc client connects (DISTCC_HOSTS=127.0.0.1:port; the VM gets a forward to it).</summary>
    public IPEndPoint Endpoint { get; }

    /// <summary>Jobs recorded so far and the digest over them.</summary>
    public CompileSummary Summary => _recorder.Summary;

    /// <summary>Connections being handled now (reading, waiting for a slot, on the farm, answering).</summary>
    internal int JobsInProgress => _jobs.Count;

    /// <summary>
    /// Stops accepting, ends jobs still in flight (recorded as cancelled), writes the remaining records and returns
    /// the final summary for the build-end audit record.
    /// </summary>
    /// <exception cref="InvalidOperationException">the records could not all be stored.</exception>
    public Task<CompileSummary> CloseAsync(CancellationToken cancellationToken)
    {
        lock (_closing)
        {
            _closed ??= CloseCoreAsync();
        }
        return _closed.WaitAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await CloseAsync(CancellationToken.None);
        }
        catch (InvalidOperationException)
        {
            // Already logged by the recorder; CloseAsync is where the pipeline sees it.
        }
        await _recorder.DisposeAsync();
        _closing.Dispose();
    }

    private async Task<CompileSummary> CloseCoreAsync()
    {
        await _closing.CancelAsync();
        _listener.Stop();
        await _acceptLoop;
        await Task.WhenAll(_jobs.Values);
        var summary = await _recorder.CompleteAsync();
        Log.Closed(_logger, BuildId, summary.Count, summary.Digest);
        return summary;
    }

    private async Task AcceptLoopAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _listener.AcceptSocketAsync(cancellationToken);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException || cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (SocketException e)
            {
                Log.AcceptFailed(_logger, BuildId, e.SocketErrorCode.ToString());
                continue;
            }
            if (Interlocked.Increment(ref _open) > _maxConnections)
            {
                Interlocked.Decrement(ref _open);
                RefuseConnection(socket);
                continue;
            }
            var id = Interlocked.Increment(ref _nextJob);
            // The job starts on this thread and returns here at its first read that has to wait (usually at once: the
            // client sends after connecting), instead of costing a thread-pool hop of its own before it even reads.
            var job = RunJobAsync(id, socket, cancellationToken);
            _jobs[id] = job;
            if (job.IsCompleted)
            {
                // It finished before it was added: its own removal found nothing to remove.
                _jobs.TryRemove(id, out _);
            }
        }
    }

    private async Task RunJobAsync(int id, Socket socket, CancellationToken cancellationToken)
    {
        try
        {
            await _handler.HandleAsync(socket, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // A bug in one job must not stop the listener or its close; the job's record may be missing, say so.
            Log.JobCrashed(_logger, BuildId, e);
        }
        finally
        {
            Interlocked.Decrement(ref _open);
            _jobs.TryRemove(id, out _);
        }
    }

    /// <summary>
    /// One connection beyond Farm:MaxConnectionsPerBuild: closed at once (no read, no record: it never was a job), so
    /// the guest's connector process ends too. Counted each time; logged at most once a second with the count since.
    /// </summary>
    private void RefuseConnection(Socket socket)
    {
        socket.Close(0);
        LimitHits.Record("Farm:MaxConnectionsPerBuild");
        LimitNotices.Reached("Farm:MaxConnectionsPerBuild", string.Create(CultureInfo.InvariantCulture,
            $"it holds {_maxConnections} connections, and further ones are closed at once"));
        Interlocked.Increment(ref _closedUnlogged);
        var now = _time.GetTimestamp();
        var last = Interlocked.Read(ref _lastLimitLogAt);
        if ((last == 0 || _time.GetElapsedTime(last, now) >= TimeSpan.FromSeconds(1))
            && Interlocked.CompareExchange(ref _lastLimitLogAt, now, last) == last)
        {
            Log.ConnectionLimit(_logger, BuildId, Interlocked.Exchange(ref _closedUnlogged, 0), _maxConnections);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 6001, Level = LogLevel.Information, Message = "Gateway for build {BuildId} listening on 127.0.0.1:{Port}, farm pool {Pool}")]
        public static partial void Opened(ILogger logger, long buildId, int port, string pool);

        [LoggerMessage(EventId = 6002, Level = LogLevel.Information, Message = "Gateway for build {BuildId} closed after {Count} compile jobs, digest {Digest}")]
        public static partial void Closed(ILogger logger, long buildId, int count, string digest);

        [LoggerMessage(EventId = 6003, Level = LogLevel.Warning, Message = "Gateway for build {BuildId}: accept failed ({Error})")]
        public static partial void AcceptFailed(ILogger logger, long buildId, string error);

        [LoggerMessage(EventId = 6004, Level = LogLevel.Error, Message = "Gateway for build {BuildId}: a compile job failed unexpectedly")]
        public static partial void JobCrashed(ILogger logger, long buildId, Exception exception);

        [LoggerMessage(EventId = 6005, Level = LogLevel.Warning,
            Message = "Gateway for build {BuildId}: closed {Count} connections at once: the build already holds {Max} (Farm:MaxConnectionsPerBuild)")]
        public static partial void ConnectionLimit(ILogger logger, long buildId, int count, int max);
    }
}
