namespace Builder.Farm.Records;

/// <summary>
/// One compile job as the audit trail keeps it. <see cref="Argv"/> is the canonical argv sent to the farm (for a
/// refused or malformed job: the client's argv as parsed, possibly empty). Both hashes are lowercase hex SHA-256 of
/// the <b>uncompressed</b> bodies (the preprocessed DOTI source and the DOTO object), so they do not depend on the
/// protocol version. Times are whole milliseconds so a record read back from the database digests the same.
/// <see cref="BuildAttempt"/> says which attempt of the build the job belongs to: each attempt numbers its jobs from 1
/// and its digest covers its own jobs (the attempt itself is not digested; it is where the rows are filed).
/// <see cref="Pool"/> is the farm pool the build's listener sent jobs to (also for refused jobs, which went nowhere);
/// it is not digested either: a host belongs to one pool, so <see cref="Host"/> already says where a job ran.
/// </summary>
public sealed record CompileJobRecord(
    long BuildId,
    int Seq,
    DateTimeOffset StartedAt,
    int DurationMs,
    int? FarmMs,
    string Outcome,
    string? Compiler,
    IReadOnlyList<string> Argv,
    string? InputSha256,
    string? OutputSha256,
    string? Host,
    int Attempts,
    uint? Status,
    string? Reason,
    int BuildAttempt = 1,
    string? Pool = null);
