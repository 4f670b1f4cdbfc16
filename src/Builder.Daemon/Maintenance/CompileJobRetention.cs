using Builder.Farm;
using Builder.Store.Farm;
using Microsoft.Extensions.Options;

namespace Builder.Daemon.Maintenance;

/// <summary>
/// Deletes the compile-job records of builds that finished longer ago than <c>Farm:KeepJobRecordsFor</c>. Run by the
/// Cleanup job of every host: the rows are shared, so whichever host runs first deletes them and the others find none.
/// The build row, its audit records and the job count and digest they carry stay.
/// </summary>
internal sealed partial class CompileJobRetention(CompileJobRepository jobs, IOptions<FarmOptions> farm, TimeProvider time,
    ILogger<CompileJobRetention> logger)
{
    public async Task<long> SweepAsync(CancellationToken cancellationToken)
    {
        var keep = farm.Value.KeepJobRecordsFor;
        var deleted = await jobs.DeleteOfBuildsFinishedBeforeAsync(time.GetUtcNow() - keep, cancellationToken);
        if (deleted > 0)
        {
            Log.Deleted(logger, deleted, keep.TotalDays);
        }
        return deleted;
    }

    private static partial class Log
    {
        [LoggerMessage(8703, LogLevel.Information, "Cleanup deleted {Count} compile-job records of builds finished more than {Days} days ago (Farm:KeepJobRecordsFor)")]
        public static partial void Deleted(ILogger logger, long count, double days);
    }
}
