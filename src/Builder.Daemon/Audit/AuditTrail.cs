using System.Globalization;
using Builder.Audit.Mail;
using Builder.Audit.Options;
using Builder.Core.Audit;
using Builder.Core.Builds;
using Builder.Store.Audit;
using Builder.Store.Builds;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Builder.Daemon.Audit;

/// <summary>
/// Writes audit records into the chain and delivers them off-site, strictly in seq order (so an auditor's mailbox
/// is always a prefix of the chain and a record arriving out of order was moved). A build may start only after
/// <see cref="EnsureAuditedAsync"/> returned <see cref="AuditDeliveryState.Accepted"/>; the database refuses the
/// 'building' transition otherwise. Failures and retries are notes in the build's build_events.
/// </summary>
internal sealed partial class AuditTrail
{
    private readonly AuditRepository _records;
    private readonly BuildRepository _builds;
    private readonly AuditMailComposer _composer;
    private readonly SmtpMailTransport _transport;
    private readonly AuditRetryPolicy _retry;
    private readonly IOptions<AuditOptions> _options;
    private readonly TimeProvider _time;
    private readonly ILogger<AuditTrail> _logger;

    internal AuditTrail(AuditRepository records, BuildRepository builds, AuditMailComposer composer, SmtpMailTransport transport,
        AuditRetryPolicy retry, IOptions<AuditOptions> options, TimeProvider time, ILogger<AuditTrail> logger)
    {
        _records = records;
        _builds = builds;
        _composer = composer;
        _transport = transport;
        _retry = retry;
        _options = options;
        _time = time;
        _logger = logger;
    }

    /// <summary>
    /// Writes the build-start record of this attempt (once) and delivers it and every earlier undelivered record.
    /// Accepted means the SMTP server accepted the mail for every recipient and its Message-ID is stored.
    /// </summary>
    public async Task<AuditDelivery> EnsureAuditedAsync(BuildRecord build, AuditFacts facts, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(build);
        ArgumentNullException.ThrowIfNull(facts);
        if (build.State != BuildState.Auditing)
        {
            throw new InvalidOperationException($"build {build.Id} is {BuildStates.Name(build.State)}, not auditing");
        }
        var record = await _records.AppendAsync(build.Id, AuditEvent.BuildStart, build.Attempts,
            (seq, prev) => Compose(seq, prev, build, facts), cancellationToken);
        return await DeliverUpToAsync(record, cancellationToken);
    }

    /// <summary>
    /// The build-end record of the build's current attempt, for the transaction that ends the build: given the next seq
    /// and the head's hash it returns the record. It is written in the format version of the attempt's build-start
    /// record: an attempt audited before the upgrade to version 2 (it waited in auditing across it) is closed in
    /// version 1, with its build-deps as name=version and no copy-of. The time is taken now, when the content is fixed.
    /// </summary>
    public async Task<Func<long, string, AuditRecord>> ComposeBuildEndAsync(BuildRecord build, AuditFacts facts, BuildEndFacts end,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(build);
        ArgumentNullException.ThrowIfNull(end);
        var start = await _records.FindAsync(build.Id, AuditEvent.BuildStart, build.Attempts, cancellationToken);
        var formatVersion = start is null ? AuditRecordFormat.CurrentVersion : ParseStored(start).FormatVersion;
        var template = InVersion(formatVersion, Compose(0, "", build, facts) with
        {
            Event = AuditEvent.BuildEnd,
            Result = end.Result,
            FailedStage = end.FailedStage ?? "",
            Artifacts = end.Artifacts,
            CompileJobs = end.CompileJobs,
            Provenance = end.Provenance,
        });
        return (seq, prev) => template with { Seq = seq, Prev = prev };
    }

    /// <summary>
    /// Writes and delivers the build-end record on its own, outside the transaction that ends the build (for an attempt
    /// whose end is recorded before its final state is set, as tests of the trail do); a failed delivery is retried
    /// by the AuditRetry job.
    /// </summary>
    public async Task<AuditDelivery> RecordBuildEndAsync(BuildRecord build, AuditFacts facts, BuildEndFacts end, CancellationToken cancellationToken)
    {
        var compose = await ComposeBuildEndAsync(build, facts, end, cancellationToken);
        var record = await _records.AppendAsync(build.Id, AuditEvent.BuildEnd, build.Attempts, compose, cancellationToken);
        return await DeliverAsync(record, cancellationToken);
    }

    /// <summary>
    /// Delivers a record already in the chain (a build-end committed with its build's final state) after every
    /// earlier undelivered one.
    /// </summary>
    public Task<AuditDelivery> DeliverAsync(StoredAuditRecord record, CancellationToken cancellationToken) =>
        DeliverUpToAsync(record ?? throw new ArgumentNullException(nameof(record)), cancellationToken);

    /// <summary>Whether this attempt of the build has its build-start record in the chain (delivered or not).</summary>
    public async Task<bool> HasBuildStartAsync(long buildId, int attempt, CancellationToken cancellationToken) =>
        await _records.FindAsync(buildId, AuditEvent.BuildStart, attempt, cancellationToken) is not null;

    /// <summary>
    /// Delivers the build-end record of an attempt that the daemon running it did not live to end (recovery failed it as
    /// interrupted and wrote that record in the same transaction, see <c>AuditRepository.AppendInterruptedEndAsync</c>);
    /// writes it first if an older recovery left none. Returns null when the attempt was never audited (nothing to close).
    /// </summary>
    public async Task<AuditDelivery?> RecordInterruptedAsync(long buildId, int attempt, CancellationToken cancellationToken)
    {
        var record = await _records.AppendInterruptedEndAsync(buildId, attempt, AuditStamp.At(AuditHost.Name(_options.Value), _time.GetUtcNow()), cancellationToken);
        return record is null ? null : await DeliverUpToAsync(record, cancellationToken);
    }

    /// <summary>
    /// Appends a checkpoint certifying the chain head now, and delivers it after every earlier undelivered record
    /// (the AuditCheckpoint job, every Audit:CheckpointInterval). A failed delivery is retried like any record's.
    /// </summary>
    public async Task<AuditDelivery> RecordCheckpointAsync(CancellationToken cancellationToken)
    {
        var record = await _records.AppendCheckpointAsync(
            (seq, prev) => AuditRecord.Checkpoint(seq, prev, AuditHost.Name(_options.Value), TruncateToSeconds(_time.GetUtcNow())), cancellationToken);
        return await DeliverUpToAsync(record, cancellationToken);
    }

    /// <summary>
    /// Delivers undelivered records whose retry time has come, in seq order, stopping at the first failure.
    /// Returns the records accepted now (the caller moves their builds on).
    /// </summary>
    public Task<IReadOnlyList<StoredAuditRecord>> RetryDueAsync(CancellationToken cancellationToken) =>
        DeliverAsync(uptoSeq: null, ignoreSchedule: false, cancellationToken);

    private async Task<AuditDelivery> DeliverUpToAsync(StoredAuditRecord record, CancellationToken cancellationToken)
    {
        if (!record.Accepted)
        {
            // A fresh record is tried now, together with any earlier record that is backing off; a record that
            // already failed keeps its back-off, so a caller asking again does not hammer the server.
            await DeliverAsync(record.Seq, ignoreSchedule: record.Attempts == 0 && !record.Held, cancellationToken);
            record = await _records.GetAsync(record.Seq, cancellationToken) ?? record;
        }
        var state = record.Accepted ? AuditDeliveryState.Accepted : record.Held ? AuditDeliveryState.Held : AuditDeliveryState.Pending;
        if (state == AuditDeliveryState.Pending && record.LastError is null)
        {
            var blocker = (await _records.PendingAsync(record.Seq - 1, cancellationToken)).FirstOrDefault();
            if (blocker is not null)
            {
                var wait = $"audit record seq {record.Seq} waits for seq {blocker.Seq} ({Owner(blocker)}), which is not delivered yet";
                await NoteAsync(record, wait, cancellationToken);
                return new AuditDelivery(record.Seq, state, null, blocker.NextAttemptAt, wait);
            }
        }
        return new AuditDelivery(record.Seq, state, record.MessageId, record.Accepted ? null : record.NextAttemptAt, record.LastError);
    }

    private async Task<IReadOnlyList<StoredAuditRecord>> DeliverAsync(long? uptoSeq, bool ignoreSchedule, CancellationToken cancellationToken)
    {
        var accepted = new List<StoredAuditRecord>();
        await using var deliveryLock = await _records.LockDeliveryAsync(cancellationToken);
        foreach (var record in await _records.PendingAsync(uptoSeq, cancellationToken))
        {
            if (record.Held || (!ignoreSchedule && record.NextAttemptAt > _time.GetUtcNow()))
            {
                break;
            }
            if (!await TryDeliverAsync(record, cancellationToken))
            {
                break;
            }
            accepted.Add(await _records.GetAsync(record.Seq, cancellationToken) ?? record);
        }
        return accepted;
    }

    private async Task<bool> TryDeliverAsync(StoredAuditRecord record, CancellationToken cancellationToken)
    {
        MimeKit.MimeMessage message;
        try
        {
            message = await _composer.ComposeAsync(ToMail(record), cancellationToken);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException)
        {
            // An unreadable or broken signing key is for an admin to fix: hold and alert (the alert is not signed).
            return await HoldAsync(record, $"cannot sign the audit mail with Audit:SigningCertificateFile/SigningKeyFile: {e.Message}", cancellationToken);
        }
        try
        {
            await _transport.SendAsync(message, cancellationToken);
        }
        catch (SmtpDeliveryException e) when (!e.Permanent)
        {
            var now = _time.GetUtcNow();
            var next = now + _retry.Delay(record.Attempts + 1);
            var attempts = await _records.MarkFailedAsync(record.Seq, e.Message, next, cancellationToken);
            Log.DeliveryFailed(_logger, record.Seq, record.BuildId, attempts, e.Message, next);
            await NoteAsync(record, string.Create(CultureInfo.InvariantCulture,
                $"audit delivery of seq {record.Seq} ({record.Event}) failed, attempt {attempts} (transient): {e.Message}; next attempt at {next:yyyy-MM-ddTHH:mm:ssZ}"),
                cancellationToken);
            return false;
        }
        catch (SmtpDeliveryException e)
        {
            return await HoldAsync(record, e.Message, cancellationToken);
        }
        var messageId = message.MessageId ?? throw new InvalidOperationException("audit mail without Message-ID");
        await _records.MarkAcceptedAsync(record.Seq, messageId, _time.GetUtcNow(), cancellationToken);
        Log.Accepted(_logger, record.Seq, record.BuildId, messageId);
        await NoteAsync(record,
            $"audit record seq {record.Seq} ({record.Event}) accepted for {message.To.Count} recipient(s) as <{messageId}>", cancellationToken);
        return true;
    }

    private async Task<bool> HoldAsync(StoredAuditRecord record, string error, CancellationToken cancellationToken)
    {
        var attempts = await _records.MarkHeldAsync(record.Seq, error, _time.GetUtcNow(), cancellationToken);
        Log.DeliveryHeld(_logger, record.Seq, record.BuildId, attempts, error);
        await NoteAsync(record,
            $"audit delivery of seq {record.Seq} ({record.Event}) failed permanently, attempt {attempts}: {error}; held until an admin releases seq {record.Seq}",
            cancellationToken);
        await SendAlertAsync(record, error, cancellationToken);
        return false;
    }

    private async Task SendAlertAsync(StoredAuditRecord record, string error, CancellationToken cancellationToken)
    {
        try
        {
            await _transport.SendAsync(_composer.ComposeAlert(ToMail(record), error), cancellationToken);
            await NoteAsync(record, $"alert sent to {string.Join(", ", _options.Value.AlertTo)}", cancellationToken);
        }
        catch (SmtpDeliveryException e)
        {
            Log.AlertFailed(_logger, record.Seq, e.Message);
            await NoteAsync(record, $"the alert mail could not be sent either: {e.Message}", cancellationToken);
        }
    }

    private AuditRecord Compose(long seq, string prev, BuildRecord build, AuditFacts facts) => new()
    {
        Seq = seq,
        Prev = prev,
        Event = AuditEvent.BuildStart,
        Build = build.Id,
        Pocket = build.Pocket,
        Package = build.Package,
        Commit = build.CommitId ?? "",
        Version = build.Version ?? "",
        Requester = build.Requester,
        Key = build.KeyFingerprint,
        Acl = build.AclHash.StartsWith("sha256:", StringComparison.Ordinal) ? build.AclHash : "sha256:" + build.AclHash,
        Image = facts.Image ?? "",
        Host = AuditHost.Name(_options.Value),
        Time = TruncateToSeconds(_time.GetUtcNow()),
        BuildDeps = facts.BuildDeps,
        CopyOf = facts.CopyOf,
        Request = build.Request,
        Signature = build.Signature,
    };

    /// <summary>
    /// The record in <paramref name="formatVersion"/>: for version 1 without what that version has no place for (the
    /// origins and hashes of build-deps, copy-of, provenance), for version 2 without provenance, as its build-start
    /// record was; otherwise unchanged. An attempt opened before an upgrade is closed in the version it was opened in.
    /// </summary>
    private static AuditRecord InVersion(int formatVersion, AuditRecord record) => formatVersion switch
    {
        1 => record with
        {
            FormatVersion = 1,
            BuildDeps = [.. record.BuildDeps.Select(d => new AuditBuildDependency(d.Name, d.Version))],
            CopyOf = null,
            Provenance = "",
        },
        2 => record with { FormatVersion = 2, Provenance = "" },
        _ => record,
    };

    /// <summary>A note in the record's build's events; a checkpoint has no build, and its log lines suffice.</summary>
    private Task NoteAsync(StoredAuditRecord record, string note, CancellationToken cancellationToken) =>
        record.BuildId is { } buildId ? _builds.AddNoteAsync(buildId, note, cancellationToken) : Task.CompletedTask;

    private static string Owner(StoredAuditRecord r) => r.BuildId is { } b ? $"build {b}" : r.Event;

    private static AuditMailRecord ToMail(StoredAuditRecord r) => new(r.Seq, r.Hash, r.Record, r.BuildId, r.Event);

    private static AuditRecord ParseStored(StoredAuditRecord stored) => AuditRecordFormat.Parse(System.Text.Encoding.ASCII.GetBytes(stored.Record));

    private static DateTimeOffset TruncateToSeconds(DateTimeOffset t) => new(t.Ticks - (t.Ticks % TimeSpan.TicksPerSecond), TimeSpan.Zero);
}
