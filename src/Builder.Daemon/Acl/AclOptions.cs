namespace Builder.Daemon.Acl;

/// <summary>The <c>Acl</c> configuration section.</summary>
internal sealed class AclOptions
{
    public const string Section = "Acl";

    /// <summary>Root of the ACL tree (keys/, groups/, acl/).</summary>
    public string Directory { get; set; } = "/etc/builder/acl";

    /// <summary>Quiet time after the last file change before the tree is reloaded (editors write in several steps).</summary>
    public TimeSpan Debounce { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Full rescan period, in case a change notification was lost (inotify queue overflow, NFS).</summary>
    public TimeSpan RescanInterval { get; set; } = TimeSpan.FromSeconds(30);
}
