using Builder.Core.Debian;

namespace Builder.Sources.Pockets;

/// <summary>Where the pocket stands for the package (from pocket_heads), as the pocket rules need it.</summary>
public sealed record PocketHeadState(string CommitId, DebianVersion Version);
