using Builder.Core.Pockets;
using Builder.Sources.Pockets;

namespace Builder.Sources;

/// <summary>What the pipeline asks of the sources stage for one build.</summary>
/// <param name="BuildId">the build, for logs.</param>
/// <param name="Pocket">the pocket's name.</param>
/// <param name="PocketOptions">the pocket's configuration (branch, backtracking).</param>
/// <param name="Package">the source package (one git repository).</param>
/// <param name="RequestedCommit">the request's commit line (40 hex) or a ref; null for the head of the pocket's branch.</param>
/// <param name="Head">the pocket's current head for the package (pocket_heads), or null before its first publish.</param>
/// <param name="OutputDirectory">an empty (or absent) directory that receives the .dsc and tarballs.</param>
public sealed record SourceRequest(
    long BuildId,
    string Pocket,
    PocketOptions PocketOptions,
    string Package,
    string? RequestedCommit,
    PocketHeadState? Head,
    string OutputDirectory);
