using Builder.Core.Audit;
using Builder.Core.Builds;
using Builder.Store.Audit;
using Dapper;
using Npgsql;

namespace Builder.Store.Builds;

/// <summary>
/// Builds and their events. Every state change goes through <see cref="TransitionAsync(NpgsqlConnection, NpgsqlTransaction, long, BuildState, BuildState, string?, string?, string?, CancellationToken)"/>,
/// which checks <see cref="BuildStates"/> and writes the build_events row in the same transaction.
/// </summary>
public sealed partial class BuildRepository(NpgsqlDataSource dataSource)
{
    // A build's owner (daemon_instances d, LEFT JOINed on claimed_by) is gone: no such instance, stopped, or no
    // check-in for @staleAfter. Recovery takes the builds of gone owners; the dispatcher's sweep those of live ones.
    private const string OwnerGone = "(d.id IS NULL OR d.stopped_at IS NOT NULL OR d.heartbeat_at < now() - @staleAfter)";

    private const string Columns = """
        id, pocket, package, requested_commit, commit_id, version, requester, key_fingerprint, acl_hash,
        request, signature, state, failed_stage, reason, attempts, cancel_requested_at, created_at, updated_at, started_at, finished_at
        """;

    public NpgsqlDataSource DataSource => dataSource;

    /// <summary>Checks the database answers; returns null when it does, else the reason.</summary>
    public async Task<string?> PingAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var conn = await dataSource.OpenConnectionAsync(cancellationToken);
            await conn.ExecuteScalarAsync<int>(new CommandDefinition("SELECT 1", cancellationToken: cancellationToken));
            return null;
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
        {
            return ex.Message;
        }
    }

    /// <summary>
    /// Stores an accepted submit request: nonce, build (queued) and its first event. One statement, so one round trip
    /// and one implicit transaction; a nonce that exists (or is being inserted by a concurrent request, whose outcome
    /// the insert waits for) inserts nothing.
    /// </summary>
    /// <exception cref="NonceReplayedException">the nonce was used before.</exception>
    public async Task<long> SubmitAsync(NewBuild build, CancellationToken cancellationToken)
    {
        await using var conn = await dataSource.OpenConnectionAsync(cancellationToken);
        var id = await conn.ExecuteScalarAsync<long?>(new CommandDefinition("""
            WITH n AS (
                INSERT INTO request_nonces (nonce, requester, issued) VALUES (@Nonce, @Requester, @Issued)
                ON CONFLICT (nonce) DO NOTHING
                RETURNING nonce),
            b AS (
                INSERT INTO builds (pocket, package, requested_commit, requester, key_fingerprint, acl_hash, request, signature)
                SELECT @Pocket, @Package, @RequestedCommit, @Requester, @KeyFingerprint, @AclHash, @Request, @Signature FROM n
                RETURNING id),
            e AS (
                INSERT INTO build_events (build_id, from_state, to_state, message)
                SELECT id, NULL, 'queued', 'submitted by ' || @Requester FROM b)
            SELECT id FROM b
            """, build, cancellationToken: cancellationToken));
        return id ?? throw new NonceReplayedException(build.Nonce);
    }

    /// <summary>
    /// Cancels a build for an accepted cancel request, consuming its nonce in the same transaction: a queued build is
    /// cancelled at once; a running one is marked (cancel_requested_at) for the pipeline to stop; a finished one is left.
    /// </summary>
    /// <exception cref="NonceReplayedException">the nonce was used before.</exception>
    public async Task<CancelOutcome> CancelAsync(long id, string nonce, string requester, DateTimeOffset issued, CancellationToken cancellationToken)
    {
        await using var conn = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var tx = await conn.BeginTransactionAsync(cancellationToken);
        await ConsumeNonceAsync(conn, tx, nonce, requester, issued, cancellationToken);
        // Lock the row: the dispatcher may be claiming it right now.
        var stateName = await conn.ExecuteScalarAsync<string?>(new CommandDefinition(
            "SELECT state FROM builds WHERE id = @id FOR UPDATE", new { id }, tx, cancellationToken: cancellationToken))
            ?? throw new InvalidOperationException($"build {id} does not exist");
        var state = BuildStates.Parse(stateName);
        CancelOutcome outcome;
        if (state == BuildState.Queued)
        {
            await TransitionAsync(conn, tx, id, state, BuildState.Cancelled, null, null, $"cancelled by {requester}", cancellationToken);
            outcome = new CancelOutcome(true, false, BuildState.Cancelled);
        }
        else if (BuildStates.IsTerminal(state))
        {
            outcome = new CancelOutcome(false, false, state);
        }
        else
        {
            await conn.ExecuteAsync(new CommandDefinition("""
                UPDATE builds SET cancel_requested_at = COALESCE(cancel_requested_at, now()), updated_at = now() WHERE id = @id;
                INSERT INTO build_events (build_id, from_state, to_state, message) VALUES (@id, @state, @state, @message);
                """, new { id, state = stateName, message = $"cancel requested by {requester}" }, tx, cancellationToken: cancellationToken));
            outcome = new CancelOutcome(false, true, state);
        }
        await tx.CommitAsync(cancellationToken);
        return outcome;
    }

    /// <summary>Records a nonce inside the caller's transaction.</summary>
    /// <exception cref="NonceReplayedException">the nonce exists (a concurrent insert waits for the other transaction, then fails here).</exception>
    public static async Task ConsumeNonceAsync(NpgsqlConnection conn, NpgsqlTransaction tx, string nonce, string requester, DateTimeOffset issued, CancellationToken cancellationToken)
    {
        var inserted = await conn.ExecuteAsync(new CommandDefinition("""
            INSERT INTO request_nonces (nonce, requester, issued) VALUES (@nonce, @requester, @issued)
            ON CONFLICT (nonce) DO NOTHING
            """, new { nonce, requester, issued }, tx, cancellationToken: cancellationToken));
        if (inserted == 0)
        {
            throw new NonceReplayedException(nonce);
        }
    }

    public async Task<BuildRecord?> GetAsync(long id, CancellationToken cancellationToken)
    {
        await using var conn = await dataSource.OpenConnectionAsync(cancellationToken);
        var row = await conn.QuerySingleOrDefaultAsync<Row>(new CommandDefinition(
            $"SELECT {Columns} FROM builds WHERE id = @id", new { id }, cancellationToken: cancellationToken));
        return row?.ToRecord();
    }

    public async Task<IReadOnlyList<BuildRecord>> ListAsync(BuildQuery query, CancellationToken cancellationToken)
    {
        await using var conn = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await conn.QueryAsync<Row>(new CommandDefinition($"""
            SELECT {Columns} FROM builds
            WHERE (@Pocket::text IS NULL OR pocket = @Pocket)
              AND (@Package::text IS NULL OR package = @Package)
              AND (@State::text IS NULL OR state = @State)
            ORDER BY id DESC
            LIMIT @Limit
            """, new { query.Pocket, query.Package, State = query.State is { } s ? BuildStates.Name(s) : null, query.Limit },
            cancellationToken: cancellationToken));
        return [.. rows.Select(r => r.ToRecord())];
    }

    /// <summary>Queued and active builds, oldest first: what <c>builder queue</c> shows.</summary>
    public async Task<IReadOnlyList<BuildRecord>> QueueAsync(CancellationToken cancellationToken)
    {
        await using var conn = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await conn.QueryAsync<Row>(new CommandDefinition($"""
            SELECT {Columns} FROM builds
            WHERE state IN ('queued','preparing','auditing','building','publishing')
            ORDER BY id
            """, cancellationToken: cancellationToken));
        return [.. rows.Select(r => r.ToRecord())];
    }

    public async Task<IReadOnlyList<BuildEventRecord>> EventsAsync(long id, CancellationToken cancellationToken)
    {
        await using var conn = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await conn.QueryAsync<EventRow>(new CommandDefinition("""
            SELECT id, build_id, at, from_state, to_state, stage, message
            FROM build_events WHERE build_id = @id ORDER BY id
            """, new { id }, cancellationToken: cancellationToken));
        return [.. rows.Select(r => new BuildEventRecord(r.Id, r.Build_Id, Row.Utc(r.At)!.Value, r.From_State, r.To_State, r.Stage, r.Message))];
    }

    /// <summary>Moves a build from <paramref name="from"/> to <paramref name="to"/> in its own transaction.</summary>
    /// <returns>false when the build was not in <paramref name="from"/> (someone else moved it first).</returns>
    public async Task<bool> TransitionAsync(long id, BuildState from, BuildState to, string? stage, string? reason, string? message, CancellationToken cancellationToken)
    {
        await using var conn = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var tx = await conn.BeginTransactionAsync(cancellationToken);
        var moved = await TransitionAsync(conn, tx, id, from, to, stage, reason, message, cancellationToken);
        await tx.CommitAsync(cancellationToken);
        return moved;
    }

    /// <summary>
    /// Ends a build (to failed or cancelled) in one transaction with its build-end audit record: when
    /// <paramref name="buildEnd"/> is given, the record of <paramref name="attempt"/> is appended first (the
    /// builds_audited_before_end trigger refuses the final state of an audited attempt without it), then the build moves.
    /// Either both commit or neither: a build not in <paramref name="transition"/>'s from state gets no record.
    /// </summary>
    public async Task<BuildEnding> EndAsync(long id, int attempt, StateChange transition, Func<long, string, AuditRecord>? buildEnd,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(transition);
        await using var conn = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var tx = await conn.BeginTransactionAsync(cancellationToken);
        var record = buildEnd is null ? null
            : await AuditRepository.AppendAsync(conn, tx, id, AuditEvent.BuildEnd, attempt, buildEnd, cancellationToken);
        if (!await TransitionAsync(conn, tx, id, transition.From, transition.To, transition.Stage, transition.Reason, transition.Message, cancellationToken))
        {
            await tx.RollbackAsync(cancellationToken);
            return BuildEnding.NotMoved;
        }
        await tx.CommitAsync(cancellationToken);
        return new BuildEnding(true, record);
    }

    /// <summary>
    /// The one place a build's state changes, inside the caller's transaction (so e.g. the pocket head can move
    /// in the same commit as the success). <paramref name="stage"/> is required exactly when <paramref name="to"/> is failed.
    /// </summary>
    public static async Task<bool> TransitionAsync(NpgsqlConnection conn, NpgsqlTransaction tx, long id, BuildState from, BuildState to,
        string? stage, string? reason, string? message, CancellationToken cancellationToken)
    {
        if (!BuildStates.CanTransition(from, to))
        {
            throw new InvalidOperationException($"build {id}: {BuildStates.Name(from)} → {BuildStates.Name(to)} is not a valid transition");
        }
        if ((to == BuildState.Failed) != (stage is not null))
        {
            throw new ArgumentException("a stage is given exactly for transitions to failed", nameof(stage));
        }
        if (stage is not null && !BuildStages.IsValid(stage))
        {
            throw new ArgumentException($"invalid stage '{stage}'", nameof(stage));
        }
        var terminal = BuildStates.IsTerminal(to);
        var moved = await conn.ExecuteAsync(new CommandDefinition("""
            UPDATE builds SET
                state = @to,
                failed_stage = @stage,
                reason = CASE WHEN @to = 'queued' THEN NULL ELSE COALESCE(@reason, reason) END,
                attempts = attempts + CASE WHEN @to = 'preparing' THEN 1 ELSE 0 END,
                started_at = CASE WHEN @to = 'preparing' THEN now() ELSE started_at END,
                vm_boot_ms = CASE WHEN @to = 'preparing' THEN NULL ELSE vm_boot_ms END,
                finished_at = CASE WHEN @terminal THEN now() ELSE NULL END,
                updated_at = now()
            WHERE id = @id AND state = @from
            """, new { id, from = BuildStates.Name(from), to = BuildStates.Name(to), stage, reason, terminal }, tx, cancellationToken: cancellationToken));
        if (moved == 0)
        {
            return false;
        }
        await conn.ExecuteAsync(new CommandDefinition("""
            INSERT INTO build_events (build_id, from_state, to_state, stage, message) VALUES (@id, @from, @to, @stage, @message)
            """, new { id, from = BuildStates.Name(from), to = BuildStates.Name(to), stage, message = message ?? reason }, tx, cancellationToken: cancellationToken));
        return true;
    }

    /// <summary>
    /// Claims the oldest queued build whose pocket+package has no active build, moving it to preparing. Rows other
    /// daemons are claiming are skipped (FOR UPDATE SKIP LOCKED), so several builderd on one database never take the
    /// same build; the builds_one_active index is the backstop if two claims race on one pocket+package.
    /// </summary>
    /// <param name="maxActive">claim nothing while this many builds are active on the whole installation.</param>
    /// <param name="claimant">the claiming daemon's instance id (daemon_instances), recorded as the build's owner.</param>
    /// <param name="cancellationToken">cancels the claim.</param>
    /// <returns>the claimed build, or null when there is nothing to do.</returns>
    public async Task<BuildRecord?> ClaimNextAsync(int maxActive, string claimant, CancellationToken cancellationToken)
    {
        await using var conn = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var tx = await conn.BeginTransactionAsync(cancellationToken);
        var active = await conn.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT count(*) FROM builds WHERE state IN ('preparing','auditing','building','publishing')", transaction: tx, cancellationToken: cancellationToken));
        if (active >= maxActive)
        {
            return null;
        }
        var id = await conn.ExecuteScalarAsync<long?>(new CommandDefinition("""
            SELECT b.id FROM builds b
            WHERE b.state = 'queued'
              AND NOT EXISTS (SELECT 1 FROM builds a
                              WHERE a.pocket = b.pocket AND a.package = b.package
                                AND a.state IN ('preparing','auditing','building','publishing'))
            ORDER BY b.id
            LIMIT 1
            FOR UPDATE OF b SKIP LOCKED
            """, transaction: tx, cancellationToken: cancellationToken));
        if (id is null)
        {
            return null;
        }
        await conn.ExecuteAsync(new CommandDefinition("SAVEPOINT claim", transaction: tx, cancellationToken: cancellationToken));
        try
        {
            await TransitionAsync(conn, tx, id.Value, BuildState.Queued, BuildState.Preparing, null, null, $"claimed by {claimant}", cancellationToken);
            await conn.ExecuteAsync(new CommandDefinition(
                "UPDATE builds SET claimed_by = @claimant WHERE id = @id", new { id, claimant }, tx, cancellationToken: cancellationToken));
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UniqueViolation && ex.ConstraintName == "builds_one_active")
        {
            // Another daemon activated the same pocket+package between our check and our update: leave it queued.
            await conn.ExecuteAsync(new CommandDefinition("ROLLBACK TO SAVEPOINT claim", transaction: tx, cancellationToken: cancellationToken));
            await tx.CommitAsync(cancellationToken);
            return null;
        }
        var row = await conn.QuerySingleAsync<Row>(new CommandDefinition(
            $"SELECT {Columns} FROM builds WHERE id = @id", new { id }, tx, cancellationToken: cancellationToken));
        await tx.CommitAsync(cancellationToken);
        return row.ToRecord();
    }

    /// <summary>
    /// Builds left preparing, building or publishing by a daemon that is gone (stopped, or no check-in for
    /// <paramref name="staleAfter"/>) are failed with stage 'interrupted' and, on their first attempt, put back in the
    /// queue. Auditing builds are left alone: their delivery retries resume. Builds of live daemons are never touched.
    /// </summary>
    /// <returns>the attempts failed as interrupted.</returns>
    public async Task<IReadOnlyList<InterruptedBuild>> RecoverInterruptedAsync(TimeSpan staleAfter, AuditStamp stamp, CancellationToken cancellationToken)
    {
        await using var conn = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var tx = await conn.BeginTransactionAsync(cancellationToken);
        var stuck = (await conn.QueryAsync<(long Id, string State, int Attempts)>(new CommandDefinition($"""
            SELECT b.id, b.state, b.attempts FROM builds b
            LEFT JOIN daemon_instances d ON d.id = b.claimed_by
            WHERE b.state IN ('preparing','building','publishing')
              AND {OwnerGone}
            ORDER BY b.id
            FOR UPDATE OF b SKIP LOCKED
            """, new { staleAfter }, tx, cancellationToken: cancellationToken))).ToList();
        var recovered = new List<InterruptedBuild>();
        foreach (var (id, state, attempts) in stuck)
        {
            var requeued = await FailInterruptedAsync(conn, tx, id, BuildStates.Parse(state), attempts, stamp, cancellationToken);
            recovered.Add(new InterruptedBuild(id, attempts, BuildStates.Parse(state), requeued));
        }
        await tx.CommitAsync(cancellationToken);
        return recovered;
    }

    /// <summary>
    /// Builds whose next step may have no job to run it: preparing under a live daemon (checked in within
    /// <paramref name="staleAfter"/>, not stopped), whose run job may be missing, and auditing under a gone one, which
    /// someone must resume (its plan is on its host's disk).
    /// </summary>
    public async Task<IReadOnlyList<StrandedBuild>> StrandedAsync(TimeSpan staleAfter, CancellationToken cancellationToken)
    {
        await using var conn = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await conn.QueryAsync<(long Id, int Attempt, string State)>(new CommandDefinition($"""
            SELECT b.id, b.attempts, b.state FROM builds b
            LEFT JOIN daemon_instances d ON d.id = b.claimed_by
            WHERE (b.state = 'preparing' AND NOT {OwnerGone})
               OR (b.state = 'auditing' AND {OwnerGone})
            ORDER BY b.id
            """, new { staleAfter }, cancellationToken: cancellationToken));
        return [.. rows.Select(r => new StrandedBuild(r.Id, r.Attempt, BuildStates.Parse(r.State)))];
    }

    /// <summary>
    /// Recovers one attempt of a build whose runner died (Quartz re-ran its job as recovering): a no-op unless the build
    /// is still active in that attempt and its owner is gone (stopped, or no check-in for <paramref name="staleAfter"/>).
    /// So a build already recovered and requeued, or taken over by a live daemon, is never failed a second time.
    /// </summary>
    /// <returns>the attempt failed as interrupted, or null when nothing was done.</returns>
    public async Task<InterruptedBuild?> RecoverBuildAsync(long id, int attempt, TimeSpan staleAfter, AuditStamp stamp, CancellationToken cancellationToken)
    {
        await using var conn = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var tx = await conn.BeginTransactionAsync(cancellationToken);
        var row = await conn.QuerySingleOrDefaultAsync<(string State, int Attempts)?>(new CommandDefinition($"""
            SELECT b.state, b.attempts FROM builds b
            LEFT JOIN daemon_instances d ON d.id = b.claimed_by
            WHERE b.id = @id AND b.attempts = @attempt AND b.state IN ('preparing','building','publishing')
              AND {OwnerGone}
            FOR UPDATE OF b
            """, new { id, attempt, staleAfter }, tx, cancellationToken: cancellationToken));
        if (row is not { } r)
        {
            return null;
        }
        var requeued = await FailInterruptedAsync(conn, tx, id, BuildStates.Parse(r.State), r.Attempts, stamp, cancellationToken);
        await tx.CommitAsync(cancellationToken);
        return new InterruptedBuild(id, r.Attempts, BuildStates.Parse(r.State), requeued);
    }

    /// <summary>
    /// Fails an attempt waiting in auditing whose plan is out of reach (no daemon of its host is alive) as interrupted,
    /// and requeues it once: a new attempt prepares anywhere. A no-op unless the build is still auditing in that attempt.
    /// </summary>
    /// <returns>the attempt failed as interrupted, or null when nothing was done.</returns>
    public async Task<InterruptedBuild?> RecoverUnreachableAsync(long id, int attempt, AuditStamp stamp, CancellationToken cancellationToken)
    {
        await using var conn = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var tx = await conn.BeginTransactionAsync(cancellationToken);
        var found = await conn.ExecuteScalarAsync<long?>(new CommandDefinition(
            "SELECT id FROM builds WHERE id = @id AND attempts = @attempt AND state = 'auditing' FOR UPDATE",
            new { id, attempt }, tx, cancellationToken: cancellationToken));
        if (found is null)
        {
            return null;
        }
        var requeued = await FailInterruptedAsync(conn, tx, id, BuildState.Auditing, attempt, stamp, cancellationToken);
        await tx.CommitAsync(cancellationToken);
        return new InterruptedBuild(id, attempt, BuildState.Auditing, requeued);
    }

    /// <summary>
    /// A daemon takes a dispatched build to run it: only while the build is still in <paramref name="state"/> and in
    /// <paramref name="attempt"/> (so a stale job, or one that lost a race with a recovery, runs nothing). Records the
    /// daemon as the owner and notes it in build_events.
    /// </summary>
    /// <returns>the build as taken, or null when it moved on.</returns>
    public async Task<BuildRecord?> TakeAsync(long id, BuildState state, int attempt, string instanceId, CancellationToken cancellationToken)
    {
        await using var conn = await dataSource.OpenConnectionAsync(cancellationToken);
        var stateName = BuildStates.Name(state);
        var row = await conn.QuerySingleOrDefaultAsync<Row>(new CommandDefinition($"""
            WITH t AS (
                UPDATE builds SET claimed_by = @instanceId
                WHERE id = @id AND state = @stateName AND attempts = @attempt
                RETURNING {Columns}),
            e AS (
                INSERT INTO build_events (build_id, from_state, to_state, message)
                SELECT id, state, state, @message FROM t)
            SELECT {Columns} FROM t
            """, new { id, stateName, attempt, instanceId, message = $"attempt {attempt} {(state == BuildState.Auditing ? "resumes" : "runs")} on {instanceId}" },
            cancellationToken: cancellationToken));
        return row?.ToRecord();
    }

    /// <summary>
    /// Fails the attempt as interrupted and, when it was audited, closes it in the chain in the same transaction
    /// (<c>AuditRepository.AppendInterruptedEndAsync</c>); delivering that record is left to the caller.
    /// </summary>
    private static async Task<bool> FailInterruptedAsync(NpgsqlConnection conn, NpgsqlTransaction tx, long id, BuildState state, int attempts,
        AuditStamp stamp, CancellationToken cancellationToken)
    {
        await AuditRepository.AppendInterruptedEndAsync(conn, tx, id, attempts, stamp, cancellationToken);
        await TransitionAsync(conn, tx, id, state, BuildState.Failed, BuildStages.Interrupted,
            $"the daemon stopped while the build was {BuildStates.Name(state)}", null, cancellationToken);
        if (!BuildStates.CanRequeue(BuildState.Failed, BuildStages.Interrupted, attempts))
        {
            return false;
        }
        await TransitionAsync(conn, tx, id, BuildState.Failed, BuildState.Queued, null, null, "requeued after the interruption", cancellationToken);
        return true;
    }

    /// <summary>Adds a note to the build's history without changing its state (e.g. an audit delivery retry).</summary>
    public async Task AddNoteAsync(long id, string message, CancellationToken cancellationToken)
    {
        await using var conn = await dataSource.OpenConnectionAsync(cancellationToken);
        await conn.ExecuteAsync(new CommandDefinition("""
            INSERT INTO build_events (build_id, from_state, to_state, message)
            SELECT id, state, state, @message FROM builds WHERE id = @id
            """, new { id, message }, cancellationToken: cancellationToken));
    }

    /// <summary>Sets the resolved commit and version (while preparing).</summary>
    public async Task SetSourceAsync(long id, string commitId, string version, CancellationToken cancellationToken)
    {
        await using var conn = await dataSource.OpenConnectionAsync(cancellationToken);
        await conn.ExecuteAsync(new CommandDefinition(
            "UPDATE builds SET commit_id = @commitId, version = @version, updated_at = now() WHERE id = @id",
            new { id, commitId, version }, cancellationToken: cancellationToken));
    }

    private sealed record EventRow(long Id, long Build_Id, DateTime At, string? From_State, string To_State, string? Stage, string? Message);

    // Dapper maps text columns to strings; the state enum is converted here, in one place.
    private sealed record Row(
        long Id, string Pocket, string Package, string? Requested_Commit, string? Commit_Id, string? Version, string Requester,
        string Key_Fingerprint, string Acl_Hash, string Request, string Signature, string State, string? Failed_Stage, string? Reason,
        int Attempts, DateTime? Cancel_Requested_At, DateTime Created_At, DateTime Updated_At, DateTime? Started_At, DateTime? Finished_At)
    {
        public BuildRecord ToRecord() => new(
            Id, Pocket, Package, Requested_Commit, Commit_Id, Version, Requester, Key_Fingerprint, Acl_Hash, Request, Signature,
            BuildStates.Parse(State), Failed_Stage, Reason, Attempts, Utc(Cancel_Requested_At), Utc(Created_At)!.Value, Utc(Updated_At)!.Value,
            Utc(Started_At), Utc(Finished_At));

        internal static DateTimeOffset? Utc(DateTime? t) => t is { } v ? new DateTimeOffset(DateTime.SpecifyKind(v, DateTimeKind.Utc)) : null;
    }
}
