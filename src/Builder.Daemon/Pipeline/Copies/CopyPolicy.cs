using Builder.Core.Audit;
using Builder.Core.Pockets;

namespace Builder.Daemon.Pipeline.Copies;

/// <summary>
/// Promotion only along declared trust (SECURITY.md, "Pockets as trust domains"): a commit that succeeded in pocket X
/// is copied into pocket P only when X is in P's CopyFrom and every build-dependency of X's build came from a source P
/// trusts — the mirror, P's own repository, or a pocket in P's BuildDepsFrom — as X's build-end audit record says.
/// Anything else is rebuilt in P's own VM from P's own sources.
/// </summary>
internal static class CopyPolicy
{
    private const int MaxNamed = 10;

    /// <summary>The origins a build in <paramref name="pocket"/> may take build-dependencies from.</summary>
    public static IReadOnlySet<string> TrustedOrigins(string pocket, PocketOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var origins = new HashSet<string>(StringComparer.Ordinal) { AuditDependencyOrigin.Mirror, AuditDependencyOrigin.Pocket(pocket) };
        origins.UnionWith(options.BuildDepsFrom.Select(AuditDependencyOrigin.Pocket));
        return origins;
    }

    /// <param name="pocket">the pocket the build is for (P).</param>
    /// <param name="options">P's settings.</param>
    /// <param name="candidates">succeeded builds of the same commit elsewhere, newest first.</param>
    public static CopyDecision Decide(string pocket, PocketOptions options, IReadOnlyList<CopyCandidate> candidates)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(candidates);
        var trusted = TrustedOrigins(pocket, options);
        var refusals = new List<string>();
        foreach (var c in candidates)
        {
            var what = $"build {c.BuildId} in {c.Pocket}";
            if (!options.CopyFrom.Contains(c.Pocket))
            {
                refusals.Add(options.CopyFrom.Count == 0
                    ? $"{what}: {pocket} copies from no pocket (Pockets:{pocket}:CopyFrom is empty)"
                    : $"{what}: {c.Pocket} is not in Pockets:{pocket}:CopyFrom");
                continue;
            }
            if (c.End is not { Result: AuditResult.Succeeded } end || c.EndSeq is not { } seq || end.Build != c.BuildId)
            {
                refusals.Add($"{what}: the audit chain has no succeeded build-end record for it");
                continue;
            }
            if (end.Image.Length == 0)
            {
                refusals.Add($"{what}: its build-end record (seq {seq}) names no VM image");
                continue;
            }
            if (end.BuildDeps.Any(d => d.Origin is null))
            {
                refusals.Add($"{what}: its build-end record (seq {seq}, format {end.FormatVersion}) does not say where its build-deps came from");
                continue;
            }
            var untrusted = end.BuildDeps.Where(d => !trusted.Contains(d.Origin!)).ToList();
            if (untrusted.Count > 0)
            {
                var named = string.Join(", ", untrusted.Take(MaxNamed).Select(d => $"{d.Name}={d.Version} ({d.Origin})"));
                var more = untrusted.Count > MaxNamed ? $" and {untrusted.Count - MaxNamed} more" : "";
                refusals.Add($"{what}: it took build-deps from sources {pocket} does not trust: {named}{more}");
                continue;
            }
            return new CopyDecision(new CopySource(c.BuildId, c.Pocket, seq, end.Image, end.BuildDeps), refusals);
        }
        return new CopyDecision(null, refusals);
    }
}
