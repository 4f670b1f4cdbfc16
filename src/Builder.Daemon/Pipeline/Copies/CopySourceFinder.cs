using System.Text;
using Builder.Core.Audit;
using Builder.Store.Audit;
using Builder.Store.Builds;
using Builder.Store.Sources;

namespace Builder.Daemon.Pipeline.Copies;

/// <summary>
/// The succeeded builds of a commit in other pockets, each with the build-end record of its last attempt from the
/// audit chain: the facts a copy is judged on are exactly those that went off-site.
/// </summary>
internal sealed class CopySourceFinder(PocketHeadRepository heads, BuildRepository builds, AuditRepository audit)
{
    public async Task<IReadOnlyList<CopyCandidate>> CandidatesAsync(string package, string commitId, string exceptPocket, CancellationToken cancellationToken)
    {
        var candidates = new List<CopyCandidate>();
        foreach (var s in await heads.FindSucceededElsewhereAsync(package, commitId, exceptPocket, cancellationToken))
        {
            var build = await builds.GetAsync(s.BuildId, cancellationToken);
            var stored = build is null ? null : await audit.FindAsync(build.Id, AuditEvent.BuildEnd, build.Attempts, cancellationToken);
            AuditRecord? end = null;
            if (stored is not null && AuditRecordFormat.TryParse(Encoding.ASCII.GetBytes(stored.Record), out var parsed, out _))
            {
                end = parsed;
            }
            candidates.Add(new CopyCandidate(s.BuildId, s.Pocket, s.Version, stored?.Seq, end));
        }
        return candidates;
    }
}
