using System.Net.Sockets;
using System.Security.Cryptography;
using Builder.Core.Diagnostics;
using Builder.Farm.Diagnostics;
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
    BuildJobRecorder recorder, TimeProvider time, ILogger logger, GatewayLimitNotices notices)
{
    private readonly ProtocolLimits _limits = ProtocolLimits.From(options);
    private readonly SemaphoreSlim _slots = new(options.PerBuildConcurrency, options.PerBuildConcurrency);
    private readonly InFlightBytes _inFlight = new(options.MaxInFlightBytesPerBuild);

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
            await RecordAsync(job, CompileOutcomes.Cancelled, "the build's gateway closed while the job was in flight");
        }
        catch (IOException e)
        {
            // The client went away while we answered; the job itself is recorded as it ended.
            await RecordAsync(job, job.Outcome ?? CompileOutcomes.ProtocolError, job.Reason ?? $"client connection broke: {e.InnerException?.Message ?? e.Message}");
        }
        catch (SocketException e)
        {
            await RecordAsync(job, job.Outcome ?? CompileOutcomes.ProtocolError, job.Reason ?? $"client connection broke: {e.SocketErrorCode}");
        }
    }

    private async Task RunAsync(NetworkStream stream, Socket socket, JobState job, CancellationToken cancellationToken)
    {
        // The head (argv, bounded by Farm:MaxArgc × Farm:MaxArgLength) first; the body only once the job has its slot,
        // so connections that wait hold a few KiB each, never the body they announced.
        var buffer = new MessageBuffer(stream, "request");
        RequestHead head;
        using (var timeout = new CancellationTokenSource(options.RequestTimeout, time))
        using (var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token))
        {
            try
            {
                head = await MessageReader.ReadRequestHeadAsync(buffer, _limits, deadline.Token);
            }
            catch (ProtocolException e)
            {
                await RefuseMalformedAsync(stream, socket, job, e.Version, e.Message, cancellationToken);
                return;
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                await RefuseMalformedAsync(stream, socket, job, null, TimedOut(), cancellationToken);
                return;
            }
        }
        job.Argv = head.Argv;
        await _slots.WaitAsync(cancellationToken);
        using var slot = new SlotLease(_slots);
        using var bytes = _inFlight.OpenJob();
        if (await ReadBodyAsync(stream, socket, job, buffer, head, bytes, cancellationToken) is { } request)
        {
            await VetAndForwardAsync(stream, job, request, slot, bytes, cancellationToken);
        }
    }

    /// <summary>The DOTI body, read with the job's slot held and charged to the build's in-flight bytes; null when refused.</summary>
    private async Task<CompileRequest?> ReadBodyAsync(NetworkStream stream, Socket socket, JobState job, MessageBuffer buffer, RequestHead head,
        InFlightBytes.JobBytes bytes, CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(options.RequestTimeout, time);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            return await MessageReader.ReadRequestBodyAsync(buffer, head, _limits, bytes, deadline.Token);
        }
        catch (ProtocolException e)
        {
            await RefuseMalformedAsync(stream, socket, job, e.Version, e.Message, cancellationToken);
        }
        catch (ByteBudgetExceededException e)
        {
            LimitHits.Record("Farm:MaxInFlightBytesPerBuild");
            Log.InFlightLimit(logger, buildId, e.Message);
            notices.Reached("Farm:MaxInFlightBytesPerBuild", "a job whose body would exceed it is refused, and the build compiles it locally");
            await RefuseAndDrainAsync(stream, socket, job, head.Version, CompileOutcomes.Refused, e.Message, "refused: " + e.Message, cancellationToken);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            await RefuseMalformedAsync(stream, socket, job, head.Version, TimedOut(), cancellationToken);
        }
        return null;
    }

    private string TimedOut() => $"the request was not complete within {options.RequestTimeout.TotalSeconds:0.#} s (Farm:RequestTimeout)";

    private async Task VetAndForwardAsync(NetworkStream stream, JobState job, CompileRequest request, SlotLease slot, InFlightBytes.JobBytes bytes,
        CancellationToken cancellationToken)
    {
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
        var result = await forwarder.CompileAsync(request with { Argv = decision.Argv! }, cancellationToken);
        // The body is on the farm or given up: the slot and its bytes go to the next job before the answer is relayed.
        bytes.Dispose();
        slot.Dispose();
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
        FarmMetrics.RecordCompiled(time.GetElapsedTime(received) - exchange.FarmTime, exchange.AnswerStreaming);
        await RecordAsync(job, job.Outcome, null);
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
        await RecordAsync(job, outcome, reason);
    }

    private async Task RefuseMalformedAsync(NetworkStream stream, Socket socket, JobState job, ProtocolVersion? version, string message,
        CancellationToken cancellationToken)
    {
        Log.Malformed(logger, buildId, message);
        await RefuseAndDrainAsync(stream, socket, job, version, CompileOutcomes.ProtocolError, message, "protocol error: " + message, cancellationToken);
    }

    /// <summary>
    /// A job refused before its request was read whole: answered with a refusal when its protocol version is known,
    /// else not at all. Then the gateway stops sending and reads (and drops) what the client still sends, bounded,
    /// before closing, so the client gets the answer instead of a reset.
    /// </summary>
    private async Task RefuseAndDrainAsync(NetworkStream stream, Socket socket, JobState job, ProtocolVersion? version, string outcome, string reason,
        string answer, CancellationToken cancellationToken)
    {
        job.Outcome = outcome;
        job.Reason = reason;
        await RecordAsync(job, outcome, reason);
        if (version is { } v)
        {
            await AnswerAsync(stream, CompileResponse.Refusal(v, answer), cancellationToken);
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

    private async Task RecordAsync(JobState job, string outcome, string? reason)
    {
        if (job.Recorded)
        {
            return;
        }
        job.Recorded = true;
        var started = job.StartedAt;
        await recorder.AddAsync(seq => new CompileJobRecord(
            buildId, seq,
            new DateTimeOffset(started.UtcTicks - (started.UtcTicks % TimeSpan.TicksPerMillisecond), TimeSpan.Zero),
            (int)Math.Min(int.MaxValue, time.GetElapsedTime(job.Timestamp).TotalMilliseconds),
            job.FarmTime is { } f ? (int)Math.Min(int.MaxValue, f.TotalMilliseconds) : null,
            outcome, job.Compiler, job.Argv, job.InputSha256, job.OutputSha256, job.Host, job.Attempts, job.Status, reason, Pool: pool));
    }
}
