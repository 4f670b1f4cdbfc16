using Builder.Core.Builds;
using Dapper;

namespace Builder.Store.Builds;

public sealed partial class BuildRepository
{
    /// <summary>Keeps the VM runner's boot figure (qemu start to guest agent up) for the build's current attempt.</summary>
    public async Task SetVmBootAsync(long id, TimeSpan boot, CancellationToken cancellationToken)
    {
        await using var conn = await dataSource.OpenConnectionAsync(cancellationToken);
        await conn.ExecuteAsync(new CommandDefinition(
            "UPDATE builds SET vm_boot_ms = @ms WHERE id = @id",
            new { id, ms = (int)Math.Clamp(boot.TotalMilliseconds, 0, int.MaxValue) }, cancellationToken: cancellationToken));
    }

    /// <summary>
    /// The stage timings of the build's latest attempt (see <see cref="StageTimings"/>): its transitions, the time its
    /// build-start audit record was accepted, and the VM's boot figure, in one round trip. Null for an unknown build.
    /// </summary>
    public async Task<StageTimings?> StageTimingsAsync(long id, CancellationToken cancellationToken)
    {
        await using var conn = await dataSource.OpenConnectionAsync(cancellationToken);
        using var results = await conn.QueryMultipleAsync(new CommandDefinition("""
            SELECT b.vm_boot_ms,
                   (SELECT r.accepted_at FROM audit_records r
                    WHERE r.build_id = b.id AND r.event = 'build-start' AND r.build_attempt = b.attempts) AS accepted_at
            FROM builds b WHERE b.id = @id;
            SELECT at, from_state, to_state FROM build_events
            WHERE build_id = @id AND from_state IS DISTINCT FROM to_state ORDER BY id;
            """, new { id }, cancellationToken: cancellationToken));
        var b = await results.ReadSingleOrDefaultAsync<TimingRow>();
        var events = await results.ReadAsync<(DateTime At, string? From, string To)>();
        if (b is null)
        {
            return null;
        }
        var transitions = events
            .Select(e => new BuildTransition(Row.Utc(e.At)!.Value, e.From is null ? null : BuildStates.Parse(e.From), BuildStates.Parse(e.To)))
            .ToList();
        return StageTimings.From(transitions, Row.Utc(b.Accepted_At), b.Vm_Boot_Ms is { } ms ? TimeSpan.FromMilliseconds(ms) : null);
    }

    private sealed record TimingRow(int? Vm_Boot_Ms, DateTime? Accepted_At);
}
