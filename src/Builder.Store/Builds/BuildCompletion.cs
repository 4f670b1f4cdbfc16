using Builder.Core.Builds;
using Builder.Store.Sources;
using Npgsql;

namespace Builder.Store.Builds;

/// <summary>The end of a successful publish: the pocket head moves in the same transaction as the build's success.</summary>
public sealed class BuildCompletion(NpgsqlDataSource dataSource)
{
    /// <returns>false (and nothing changed) when the head is no longer where the build's pocket rules saw it.</returns>
    public async Task<bool> SucceedAsync(long buildId, string pocket, string package, string? expectedHeadCommit, string commitId, string version,
        string message, CancellationToken cancellationToken)
    {
        await using var conn = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var tx = await conn.BeginTransactionAsync(cancellationToken);
        if (!await PocketHeadRepository.AdvanceAsync(conn, tx, pocket, package, expectedHeadCommit, commitId, version, buildId, cancellationToken))
        {
            await tx.RollbackAsync(cancellationToken);
            return false;
        }
        if (!await BuildRepository.TransitionAsync(conn, tx, buildId, BuildState.Publishing, BuildState.Succeeded, null, null, message, cancellationToken))
        {
            await tx.RollbackAsync(cancellationToken);
            return false;
        }
        await tx.CommitAsync(cancellationToken);
        return true;
    }
}
