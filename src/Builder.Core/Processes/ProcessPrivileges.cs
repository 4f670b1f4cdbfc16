using System.Globalization;

namespace Builder.Core.Processes;

/// <summary>
/// A process's capability sets, no_new_privs flag and effective uid and gid, as the kernel shows them in
/// <c>/proc/PID/status</c> (CapInh, CapPrm, CapEff, CapBnd, CapAmb: 64-bit hex masks, bit N = capability N).
/// </summary>
public sealed record ProcessPrivileges(ulong Inheritable, ulong Permitted, ulong Effective, ulong Bounding, ulong Ambient, bool NoNewPrivileges,
    uint Uid, uint Gid)
{
    public const int CapChown = 0;
    public const int CapKill = 5;
    public const int CapSetGid = 6;
    public const int CapSetUid = 7;
    public const int CapSetPcap = 8;

    private static readonly Lazy<ProcessPrivileges> Self = new(() => Read("/proc/self/status"));

    /// <summary>This process, read once (a process's capabilities do not change while builderd runs).</summary>
    public static ProcessPrivileges Current => Self.Value;

    /// <summary>
    /// It holds a capability it could use or pass on: permitted, effective or ambient. (A non-empty bounding set alone
    /// gives nothing to a non-root process; root regains it at exec, but root also shows a full permitted set.)
    /// </summary>
    public bool HoldsAny => (Permitted | Effective | Ambient) != 0;

    /// <summary>Every one of the five capability sets is empty.</summary>
    public bool HoldsNone => (Inheritable | Permitted | Effective | Bounding | Ambient) == 0;

    public bool HasEffective(int capability) => (Effective & (1UL << capability)) != 0;

    public static ProcessPrivileges Read(string statusPath) => Parse(File.ReadAllText(statusPath));

    /// <summary>Parses the text of a <c>/proc/PID/status</c> file; a missing field is an error, not a zero.</summary>
    public static ProcessPrivileges Parse(string status)
    {
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in status.Split('\n'))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0)
            {
                fields[line[..colon]] = line[(colon + 1)..].Trim();
            }
        }
        string Field(string name) => fields.TryGetValue(name, out var value)
            ? value
            : throw new FormatException($"/proc status has no {name} line");
        ulong Mask(string name) => ulong.TryParse(Field(name), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var mask)
            ? mask
            : throw new FormatException($"/proc status: {name} is not a hex mask: '{Field(name)}'");
        // Uid and Gid: real, effective, saved, filesystem.
        uint Effective(string name) => Field(name).Split('\t', ' ', StringSplitOptions.RemoveEmptyEntries) is { Length: >= 2 } ids
            && uint.TryParse(ids[1], NumberStyles.None, CultureInfo.InvariantCulture, out var id)
            ? id
            : throw new FormatException($"/proc status: {name} is not 'real effective saved fs': '{Field(name)}'");
        return new ProcessPrivileges(Mask("CapInh"), Mask("CapPrm"), Mask("CapEff"), Mask("CapBnd"), Mask("CapAmb"),
            Field("NoNewPrivs") == "1", Effective("Uid"), Effective("Gid"));
    }
}
