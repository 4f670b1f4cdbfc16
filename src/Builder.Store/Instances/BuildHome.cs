namespace Builder.Store.Instances;

/// <summary>Where a build's work directory is: the host of the daemon that took it, and a live daemon there (or null).</summary>
public sealed record BuildHome(string Host, string? LiveInstance);
