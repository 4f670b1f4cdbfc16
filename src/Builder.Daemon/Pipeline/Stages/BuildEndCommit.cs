using System.Data.Common;
using Builder.Store.Builds;
using Microsoft.Extensions.Options;

namespace Builder.Daemon.Pipeline.Stages;

/// <summary>
/// Runs the transaction that ends a build (its final state together with its build-end audit record), trying again on
/// a database error: Pipeline:EndAttempts tries in all, waiting Pipeline:EndRetryDelay, doubled before each further
/// try. A failed try commits nothing, so the build stays in its state without a record rather than finished without
/// one; after the last, the error goes to the caller.
/// </summary>
internal sealed partial class BuildEndCommit(IOptions<PipelineOptions> options, TimeProvider time, ILogger<BuildEndCommit> logger)
{
    public async Task<BuildEnding> RunAsync(BuildRun run, Func<CancellationToken, Task<BuildEnding>> commit)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(commit);
        var (attempts, delay) = (options.Value.EndAttempts, options.Value.EndRetryDelay);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                // Not the run's token: a daemon stopping now should still end a build that is done.
                return await commit(CancellationToken.None);
            }
            // A refused constraint (SQLSTATE class 23) is not a fault another try can outlast.
            catch (DbException ex) when (attempt < attempts && ex.SqlState?.StartsWith("23", StringComparison.Ordinal) != true)
            {
                Log.Retrying(logger, run.BuildId, attempt, attempts, delay, ex);
                await run.LogAsync($"ending the build failed (try {attempt} of {attempts}): {ex.Message}; trying again in {delay.TotalSeconds:0.###} s");
                await Task.Delay(delay, time, CancellationToken.None);
                delay *= 2;
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(8506, LogLevel.Warning, "Build {BuildId}: the transaction ending it failed (try {Try} of {Tries}); trying again in {Delay}")]
        public static partial void Retrying(ILogger logger, long buildId, int @try, int tries, TimeSpan delay, Exception exception);
    }
}
