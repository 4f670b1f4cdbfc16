namespace Builder.Core.Pockets;

/// <summary>One entry of the <c>Pockets</c> configuration section (key = pocket name, <c>[a-z0-9][a-z0-9-]*</c>).</summary>
public sealed class PocketOptions
{
    /// <summary>reprepro distribution (codename) the pocket publishes to; defaults to the pocket name.</summary>
    public string? Distribution { get; set; }

    /// <summary>Git branch whose head is built when a request has no commit line.</summary>
    public string Branch { get; set; } = "main";

    /// <summary>Accept commits that do not descend from the pocket's current head (a development pocket).</summary>
    public bool AllowBacktracking { get; set; }

    /// <summary>Addresses notified of every build in this pocket.</summary>
    public IList<string> NotifyTo { get; } = [];

    /// <summary>
    /// Pockets whose succeeded builds of a commit this pocket may copy instead of rebuilding it — only when every
    /// build-dependency of that build came from a source this pocket trusts (the mirror, this pocket,
    /// <see cref="BuildDepsFrom"/>). Empty (the default): this pocket builds everything in its own VMs. Each name
    /// here widens the pocket's trust domain (SECURITY.md, "Pockets as trust domains").
    /// </summary>
    public IList<string> CopyFrom { get; } = [];

    /// <summary>
    /// Pockets, besides this one and the Debian mirror, whose repositories this pocket's builds may take
    /// build-dependencies from. Empty (the default): packages of other pockets are not installable here. Each name here
    /// lets everyone who can publish to that pocket run code as root in this pocket's builds.
    /// </summary>
    public IList<string> BuildDepsFrom { get; } = [];

    /// <summary>
    /// The compile-farm pool (<c>Farm:Pools</c>) this pocket's builds send their compile jobs to, and only to; null
    /// (the default): the pool <c>default</c>. Pockets that share a pool share the fate of its farm hosts
    /// (SECURITY.md, "Compile farm").
    /// </summary>
    public string? FarmPool { get; set; }
}
