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
}
