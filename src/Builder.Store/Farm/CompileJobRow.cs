namespace Builder.Store.Farm;

/// <summary>
/// A row of compile_jobs. The store's own shape of the gateway's compile-job record (Builder.Farm), so this project
/// needs no reference to the farm; the daemon maps one onto the other.
/// </summary>
public sealed record CompileJobRow(
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
    int BuildAttempt,
    string? Pool);
