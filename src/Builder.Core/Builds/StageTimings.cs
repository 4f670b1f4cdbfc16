using System.Globalization;
using System.Text;

namespace Builder.Core.Builds;

/// <summary>
/// How long the latest attempt of a build spent in each stage:
/// <list type="bullet">
/// <item><c>prepare</c>: sources, pocket rules, build dependencies (the preparing state);</item>
/// <item><c>audit</c>: from entering auditing until the build-start record was accepted off-site;</item>
/// <item><c>boot</c>: from the VM's start until its guest agent was up (the VM runner's figure);</item>
/// <item><c>build</c>: the rest of the building state: the build in the VM, then the extraction of its output;</item>
/// <item><c>publish</c>: reprepro, tag, pocket head (the publishing state).</item>
/// </list>
/// A stage the attempt has not finished, or never reached (a copy from another pocket boots no VM), is null.
/// </summary>
public sealed record StageTimings(TimeSpan? Prepare, TimeSpan? Audit, TimeSpan? Boot, TimeSpan? Build, TimeSpan? Publish)
{
    public static StageTimings None { get; } = new(null, null, null, null, null);

    /// <summary>True when no stage has a figure yet.</summary>
    public bool IsEmpty => this == None;

    /// <summary>
    /// The figures of the latest attempt (the transitions from the last one into preparing), from the build's transitions
    /// in the order they were recorded; notes (from == to) are ignored.
    /// </summary>
    /// <param name="transitions">the build's events in order.</param>
    /// <param name="auditAcceptedAt">when the latest attempt's build-start record was accepted; null if it was not (yet).</param>
    /// <param name="vmBoot">the VM runner's boot figure of the latest attempt; null if no VM came up (yet).</param>
    public static StageTimings From(IReadOnlyList<BuildTransition> transitions, DateTimeOffset? auditAcceptedAt, TimeSpan? vmBoot)
    {
        ArgumentNullException.ThrowIfNull(transitions);
        var changes = transitions.Where(t => t.From != t.To).ToList();
        var attempt = changes.FindLastIndex(t => t.To == BuildState.Preparing);
        if (attempt < 0)
        {
            return None;
        }
        changes = changes[attempt..];
        var auditStart = Entered(changes, BuildState.Auditing);
        var building = Span(changes, BuildState.Building);
        TimeSpan? boot = building is null ? null : vmBoot;
        TimeSpan? build = building is not { } b ? null : boot is { } up && up <= b ? b - up : b;
        return new StageTimings(
            Span(changes, BuildState.Preparing),
            auditStart is { } a && auditAcceptedAt is { } accepted && accepted >= a ? accepted - a : null,
            boot,
            build,
            Span(changes, BuildState.Publishing));
    }

    /// <summary>One line, e.g. <c>prepare 6.1 s, audit 0.6 s, boot 14.2 s, build 94.6 s, publish 1.0 s</c>; stages without a figure are left out.</summary>
    public string Describe()
    {
        var sb = new StringBuilder();
        Append(sb, "prepare", Prepare);
        Append(sb, "audit", Audit);
        Append(sb, "boot", Boot);
        Append(sb, "build", Build);
        Append(sb, "publish", Publish);
        return sb.ToString();
    }

    private static void Append(StringBuilder sb, string name, TimeSpan? value)
    {
        if (value is { } v)
        {
            sb.Append(sb.Length == 0 ? "" : ", ").Append(name).Append(' ').Append(v.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)).Append(" s");
        }
    }

    private static DateTimeOffset? Entered(List<BuildTransition> changes, BuildState state) =>
        changes.FindIndex(t => t.To == state) is var i and >= 0 ? changes[i].At : null;

    /// <summary>From entering <paramref name="state"/> to leaving it; null while the attempt is still in it (or never was).</summary>
    private static TimeSpan? Span(List<BuildTransition> changes, BuildState state)
    {
        var enter = changes.FindIndex(t => t.To == state);
        if (enter < 0)
        {
            return null;
        }
        var leave = changes.FindIndex(enter + 1, t => t.From == state);
        if (leave < 0)
        {
            return null;
        }
        var span = changes[leave].At - changes[enter].At;
        return span < TimeSpan.Zero ? TimeSpan.Zero : span;
    }
}
