namespace Builder.Sources.Pockets;

/// <summary>
/// The pocket refuses this build (backtracking, version not newer): the build ends as <c>rejected</c> with
/// <see cref="Reason"/>, e.g. "hello 2.10-2 is not newer than 2.10-3 in prod". Not an error of Builder's.
/// </summary>
public sealed record PolicyViolation(string Reason) : SourcePreparation;
