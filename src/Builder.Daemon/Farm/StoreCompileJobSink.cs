using Builder.Farm.Records;
using Builder.Store.Farm;

namespace Builder.Daemon.Farm;

/// <summary>
/// The gateway's compile-job records into the compile_jobs table. Here, in the daemon, because the farm and the store
/// are separate dependency boundaries that know nothing of each other.
/// </summary>
internal sealed class StoreCompileJobSink(CompileJobRepository jobs) : ICompileJobSink
{
    public Task WriteAsync(IReadOnlyList<CompileJobRecord> batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        return jobs.WriteAsync([.. batch.Select(ToRow)], cancellationToken);
    }

    public static CompileJobRow ToRow(CompileJobRecord r) => new(r.BuildId, r.Seq, r.StartedAt, r.DurationMs, r.FarmMs, r.Outcome, r.Compiler,
        r.Argv, r.InputSha256, r.OutputSha256, r.Host, r.Attempts, r.Status, r.Reason, r.BuildAttempt, r.Pool);

    public static CompileJobRecord ToRecord(CompileJobRow r) => new(r.BuildId, r.Seq, r.StartedAt, r.DurationMs, r.FarmMs, r.Outcome, r.Compiler,
        r.Argv, r.InputSha256, r.OutputSha256, r.Host, r.Attempts, r.Status, r.Reason, r.BuildAttempt, r.Pool);
}
