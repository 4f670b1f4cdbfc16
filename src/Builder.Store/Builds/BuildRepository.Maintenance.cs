using Builder.Core.Builds;
using Dapper;

namespace Builder.Store.Builds;

public sealed partial class BuildRepository
{
    private const int NonceDeleteBatch = 10_000;

    /// <summary>
    /// Deletes the nonces of requests received more than <paramref name="keep"/> ago (by the database's clock), in
    /// batches so the accepting path never waits long on the table. Keep at least the replay window: a request older
    /// than that is refused on its <c>issued</c> time, so its nonce no longer needs remembering.
    /// </summary>
    /// <returns>how many nonces were deleted.</returns>
    public async Task<long> ExpireNoncesAsync(TimeSpan keep, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(keep, TimeSpan.Zero);
        await using var conn = await dataSource.OpenConnectionAsync(cancellationToken);
        long total = 0;
        while (true)
        {
            var deleted = await conn.ExecuteAsync(new CommandDefinition("""
                DELETE FROM request_nonces WHERE nonce IN (
                    SELECT nonce FROM request_nonces
                    WHERE received_at < now() - @keep AND issued < now() - @keep
                    LIMIT @batch)
                """, new { keep, batch = NonceDeleteBatch }, cancellationToken: cancellationToken));
            total += deleted;
            if (deleted < NonceDeleteBatch)
            {
                return total;
            }
        }
    }

    /// <summary>
    /// For each of <paramref name="ids"/> that exists: whether the build has finished, and how long ago (by the
    /// database's clock). Cleanup judges a build's files by this, never by the files' own times.
    /// </summary>
    public async Task<IReadOnlyDictionary<long, BuildEnd>> EndsAsync(IReadOnlyCollection<long> ids, CancellationToken cancellationToken)
    {
        var ends = new Dictionary<long, BuildEnd>();
        if (ids.Count == 0)
        {
            return ends;
        }
        await using var conn = await dataSource.OpenConnectionAsync(cancellationToken);
        foreach (var chunk in ids.Distinct().Chunk(1000))
        {
            var rows = await conn.QueryAsync<(long Id, string State, double? AgoSeconds)>(new CommandDefinition("""
                SELECT id, state, extract(epoch FROM now() - finished_at)::float8 FROM builds WHERE id = ANY(@ids)
                """, new { ids = chunk }, cancellationToken: cancellationToken));
            foreach (var (id, state, ago) in rows)
            {
                var finished = BuildStates.IsTerminal(BuildStates.Parse(state));
                ends[id] = new BuildEnd(id, finished, finished && ago is { } s ? TimeSpan.FromSeconds(Math.Max(0, s)) : null);
            }
        }
        return ends;
    }
}
