namespace Builder.Sources.Pockets;

/// <summary>
/// The pocket refuses this build (backtracking, version not newer): the build ends as <c>rejected</c> with
/// <see cref="Reason"/>, e.g. "hello 2.10-2 is not newer than 2.10-3 in prod". Not an error of Builder's.
/// </summary>
public sealed record PolicyViolation(string Reason) : SourcePreparation
{
    /// <summary>The refused commit (full id), so the rejected build still says what it was.</summary>
    public string? CommitId { get; init; }

    /// <summary>The refused commit's debian/changelog version.</summary>
    public string? Version { get; init; }
}
