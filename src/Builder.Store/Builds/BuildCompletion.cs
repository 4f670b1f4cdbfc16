using Builder.Core.Audit;
using Builder.Core.Builds;
using Builder.Store.Audit;
using Builder.Store.Sources;
using Npgsql;

namespace Builder.Store.Builds;

/// <summary>
/// The end of a successful publish: the pocket head moves, the provenance envelope is stored, the attempt's build-end
/// record (naming that envelope's sha256) is appended and the build succeeds, in one transaction. So the success never counts without its record, nor the record without the success.
/// </summary>
public sealed class BuildCompletion(NpgsqlDataSource dataSource)
{
    /// <returns>not moved (and nothing changed) when the head is no longer where the build's pocket rules saw it.</returns>
    public async Task<BuildEnding> SucceedAsync(BuildSuccess success, Func<long, string, AuditRecord>? buildEnd, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(success);
        await using var conn = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var tx = await conn.BeginTransactionAsync(cancellationToken);
        if (!await PocketHeadRepository.AdvanceAsync(conn, tx, success.Pocket, success.Package, success.ExpectedHeadCommit, success.CommitId,
                success.Version, success.BuildId, cancellationToken))
        {
            await tx.RollbackAsync(cancellationToken);
            return BuildEnding.NotMoved;
        }
        if (success.ProvenanceEnvelope is { } envelope)
        {
            await ProvenanceRepository.InsertAsync(conn, tx, success.BuildId, success.Attempt, envelope,
                success.ProvenanceSha256 ?? throw new ArgumentException("a provenance envelope needs its sha256", nameof(success)), cancellationToken);
        }
        var record = buildEnd is null ? null
            : await AuditRepository.AppendAsync(conn, tx, success.BuildId, AuditEvent.BuildEnd, success.Attempt, buildEnd, cancellationToken);
        if (!await BuildRepository.TransitionAsync(conn, tx, success.BuildId, BuildState.Publishing, BuildState.Succeeded, null, null, success.Message,
                cancellationToken))
        {
            await tx.RollbackAsync(cancellationToken);
            return BuildEnding.NotMoved;
        }
        await tx.CommitAsync(cancellationToken);
        return new BuildEnding(true, record);
    }
}
