namespace Builder.Core.Processes;

/// <summary>
/// The <c>setpriv</c> wrapper that starts a child of a process holding capabilities (builderd under its systemd unit
/// keeps CAP_SETUID, CAP_SETGID, CAP_CHOWN, CAP_KILL and CAP_SETPCAP for the VM runner) with none of them: ambient
/// capabilities would otherwise pass to every child at exec (dpkg-source, apt-get, reprepro, gpg, hooks).
/// </summary>
public static class CapabilityDrop
{
    public const string Setpriv = "setpriv";

    /// <summary>
    /// setpriv's options that empty the inheritable, ambient and bounding sets and set no_new_privs: the child holds no
    /// capability and can gain none. The bounding set can only be emptied by a parent with CAP_SETPCAP.
    /// </summary>
    public static readonly IReadOnlyList<string> All = ["--inh-caps=-all", "--ambient-caps=-all", "--bounding-set=-all", "--no-new-privs"];

    /// <summary>
    /// The arguments that go before <c>--</c> and the program; empty when <paramref name="parent"/> holds no
    /// capability (nothing to drop: no wrapper at all).
    /// </summary>
    public static IReadOnlyList<string> Arguments(ProcessPrivileges parent)
    {
        if (!parent.HoldsAny)
        {
            return [];
        }
        // Inheritable and ambient empty: at exec a non-root child gets no capability. The bounding set empty: a root
        // child (a daemon run as root) gets none either, since root's exec grants only what the bounding set allows;
        // dropping it needs CAP_SETPCAP, without which the child keeps the parent's bounding set (the unit grants it).
        // no_new_privs: no setuid binary or file capability can give any back.
        return parent.HasEffective(ProcessPrivileges.CapSetPcap)
            ? All
            : [.. All.Where(option => !option.StartsWith("--bounding-set=", StringComparison.Ordinal))];
    }
}
