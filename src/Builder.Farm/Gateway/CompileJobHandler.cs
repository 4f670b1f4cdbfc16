using System.Collections.Concurrent;
using System.Net.Sockets;
using System.Security.Cryptography;
using Builder.Farm.Policy;
using Builder.Farm.Protocol;
using Builder.Farm.Records;
using Microsoft.Extensions.Logging;

namespace Builder.Farm.Gateway;

/// <summary>
/// One connection = one job: read the request (bounded, with a deadline), vet it, forward the canonical form,
/// relay the canonical answer, record it. Refusals are answered with status 1 and a SERR line, so the distcc
/// client compiles that file locally.
/// </summary>
internal sealed partial class CompileJobHandler(long buildId, string pool, FarmOptions options, JobPolicy policy, FarmForwarder forwarder,
    BuildJobRecorder recorder, TimeProvider time, ILogger logger)
{
    private const int MaxTimings = 100_000;

    private readonly ProtocolLimits _limits = ProtocolLimits.From(options);
    private readonly SemaphoreSlim _slots = new(options.PerBuildConcurrency, options.PerBuildConcurrency);

    /// <summary>Per compiled job, its timings (benchmark figures; the first <c>MaxTimings</c> jobs).</summary>
    public ConcurrentQueue<JobTiming> Timings { get; } = new();

    public async Task HandleAsync(Socket socket, CancellationToken cancellationToken)
    {
        socket.NoDelay = true;
        var job = new JobState(time.GetUtcNow(), time.GetTimestamp());
        // The socket is closed by itself, not by the stream: a NetworkStream that owns its socket shuts it down before
        // closing, and that shutdown wakes the socket engine for an event nobody waits for (a thread-pool hop per job).
        // Closing sends the same FIN after the answer.
        using var owned = socket;
        await using var stream = new NetworkStream(socket, ownsSocket: false);
        try
        {
            await RunAsync(stream, socket, job, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            Record(job, CompileOutcomes.Cancelled, "the build's gateway closed while the job was in flight");
        }
        catch (IOException e)
        {
            // The client went away while we answered; the job itself is recorded as it ended.
            Record(job, job.Outcome ?? CompileOutcomes.ProtocolError, job.Reason ?? $"client connection broke: {e.InnerException?.Message ?? e.Message}");
        }
        catch (SocketException e)
        {
            Record(job, job.Outcome ?? CompileOutcomes.ProtocolError, job.Reason ?? $"client connection broke: {e.SocketErrorCode}");
        }
    }

    private async Task RunAsync(NetworkStream stream, Socket socket, JobState job, CancellationToken cancellationToken)
    {
        CompileRequest request;
        using (var timeout = new CancellationTokenSource(options.RequestTimeout, time))
        using (var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token))
        {
            try
            {
                request = await MessageReader.ReadRequestAsync(stream, _limits, deadline.Token);
            }
            catch (ProtocolException e)
            {
                await RefuseMalformedAsync(stream, socket, job, e.Version, e.Message, cancellationToken);
                return;
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                await RefuseMalformedAsync(stream, socket, job, null,
                    $"the request was not complete within {options.RequestTimeout.TotalSeconds:0.#} s (Farm:RequestTimeout)", cancellationToken);
                return;
            }
        }
        var received = time.GetTimestamp();
        job.Argv = request.Argv;
        job.InputSha256 = Convert.ToHexStringLower(SHA256.HashData(request.Source.Span));
        var decision = policy.Evaluate(request.Argv);
        if (!decision.Allowed)
        {
            Log.Refused(logger, buildId, decision.Refusal!);
            await RefuseAsync(stream, job, request.Version, CompileOutcomes.Refused, decision.Refusal!, "refused: " + decision.Refusal, cancellationToken);
            return;
        }
        job.Argv = decision.Argv!;
        job.Compiler = decision.Compiler;
        await _slots.WaitAsync(cancellationToken);
        ForwardResult result;
        try
        {
            result = await forwarder.CompileAsync(request with { Argv = decision.Argv! }, cancellationToken);
        }
        finally
        {
            _slots.Release();
        }
        job.Host = result.Host;
        job.Attempts = result.Attempts;
        if (result.Exchange is not { } exchange)
        {
            Log.FarmUnavailable(logger, buildId, result.Error!);
            await RefuseAsync(stream, job, request.Version, CompileOutcomes.FarmUnavailable, result.Error!,
                "no farm host could compile this job: " + result.Error, cancellationToken);
            return;
        }
        var response = exchange.Response;
        job.FarmTime = exchange.FarmTime;
        job.Status = response.Status;
        job.OutputSha256 = response.Object.IsEmpty ? null : Convert.ToHexStringLower(SHA256.HashData(response.Object.Span));
        job.Outcome = response.Succeeded ? CompileOutcomes.Compiled : CompileOutcomes.CompileFailed;
        await AnswerAsync(stream, response with { Version = request.Version }, cancellationToken);
        if (Timings.Count < MaxTimings)
        {
            Timings.Enqueue(new JobTiming(time.GetElapsedTime(received) - exchange.FarmTime, exchange.AnswerStreaming));
        }
        Record(job, job.Outcome, null);
    }

    private static async Task AnswerAsync(NetworkStream stream, CompileResponse response, CancellationToken cancellationToken) =>
        await MessageWriter.EncodeResponse(response).WriteToAsync(stream, cancellationToken);

    // The outcome is set before the answer, so a client that hangs up on it still leaves the job recorded as it ended.
    private async Task RefuseAsync(NetworkStream stream, JobState job, ProtocolVersion version, string outcome, string reason, string answer,
        CancellationToken cancellationToken)
    {
        job.Outcome = outcome;
        job.Reason = reason;
        await AnswerAsync(stream, CompileResponse.Refusal(version, answer), cancellationToken);
        Record(job, outcome, reason);
    }

    /// <summary>
    /// A malformed request: answered with a refusal when its protocol version is known, else not at all. Then the
    /// gateway stops sending and reads (and drops) what the client still sends, bounded, before closing, so the
    /// client gets the answer instead of a reset.
    /// </summary>
    private async Task RefuseMalformedAsync(NetworkStream stream, Socket socket, JobState job, ProtocolVersion? version, string message, CancellationToken cancellationToken)
    {
        Log.Malformed(logger, buildId, message);
        job.Outcome = CompileOutcomes.ProtocolError;
        job.Reason = message;
        Record(job, CompileOutcomes.ProtocolError, message);
        if (version is { } v)
        {
            await AnswerAsync(stream, CompileResponse.Refusal(v, "protocol error: " + message), cancellationToken);
        }
        socket.Shutdown(SocketShutdown.Send);
        using var lingerTimeout = new CancellationTokenSource(TimeSpan.FromSeconds(5), time);
        using var linger = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, lingerTimeout.Token);
        var sink = new byte[64 * 1024];
        long drained = 0;
        try
        {
            while (drained < (long)options.MaxSourceBytes * 2)
            {
                var n = await stream.ReadAsync(sink, linger.Token);
                if (n == 0)
                {
                    break;
                }
                drained += n;
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // The client keeps sending: close anyway.
        }
    }

    private void Record(JobState job, string outcome, string? reason)
    {
        if (job.Recorded)
        {
            return;
        }
        job.Recorded = true;
        var started = job.StartedAt;
        recorder.Add(seq => new CompileJobRecord(
            buildId, seq,
            new DateTimeOffset(started.UtcTicks - (started.UtcTicks % TimeSpan.TicksPerMillisecond), TimeSpan.Zero),
            (int)Math.Min(int.MaxValue, time.GetElapsedTime(job.Timestamp).TotalMilliseconds),
            job.FarmTime is { } f ? (int)Math.Min(int.MaxValue, f.TotalMilliseconds) : null,
            outcome, job.Compiler, job.Argv, job.InputSha256, job.OutputSha256, job.Host, job.Attempts, job.Status, reason, Pool: pool));
    }

    private sealed class JobState(DateTimeOffset startedAt, long timestamp)
    {
        public DateTimeOffset StartedAt { get; } = startedAt;

        public long Timestamp { get; } = timestamp;

        public IReadOnlyList<string> Argv { get; set; } = [];

        public string? Compiler { get; set; }

        public string? InputSha256 { get; set; }

        public string? OutputSha256 { get; set; }

        public string? Host { get; set; }

        public int Attempts { get; set; }

        public uint? Status { get; set; }

        public TimeSpan? FarmTime { get; set; }

        public string? Outcome { get; set; }

        public string? Reason { get; set; }

        public bool Recorded { get; set; }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 6011, Level = LogLevel.Warning, Message = "Build {BuildId}: compile job refused: {Reason}")]
        public static partial void Refused(ILogger logger, long buildId, string reason);

        [LoggerMessage(EventId = 6012, Level = LogLevel.Warning, Message = "Build {BuildId}: malformed compile job: {Reason}")]
        public static partial void Malformed(ILogger logger, long buildId, string reason);

        [LoggerMessage(EventId = 6013, Level = LogLevel.Warning, Message = "Build {BuildId}: no farm host could compile a job: {Reason}")]
        public static partial void FarmUnavailable(ILogger logger, long buildId, string reason);
    }
}
