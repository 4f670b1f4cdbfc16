namespace Builder.Daemon.Apt;

/// <summary>The <c>BuildDeps</c> configuration section: where build dependencies are resolved and downloaded from.</summary>
internal sealed class BuildDepsOptions
{
    public const string Section = "BuildDeps";

    /// <summary>APT source files (deb822 .sources or one-line .list) naming the Debian mirror; the pocket's own repository is added per build.</summary>
    public IList<string> SourceFiles { get; } = [];

    /// <summary>Private APT state: lists and a shared .deb cache (never the host's own /var/lib/apt).</summary>
    public string CacheDirectory { get; set; } = "/var/cache/builder/apt";

    /// <summary>Package lists older than this are refreshed (apt-get update) before resolving.</summary>
    public TimeSpan ListsMaxAge { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Limit for one apt-get run.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// HTTP proxy for apt's downloads (<c>http://proxy.example.org:3128/</c>); empty: none. apt never gets the daemon's
    /// <c>http_proxy</c> (no child gets the daemon's environment), so a host behind a proxy names it here. It goes into the
    /// private root's apt.conf, not on apt's command line, where every user of the host could read it.
    /// </summary>
    public string Proxy { get; set; } = "";

    /// <summary>Debian architecture of the builders.</summary>
    public string Architecture { get; set; } = "amd64";
}
