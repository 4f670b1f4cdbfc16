using Builder.Core.Audit;

namespace Builder.Core.Provenance;

/// <summary>
/// Everything a build's provenance statement says, gathered by the daemon when the build is published; turned into
/// JSON only by <see cref="ProvenanceStatement"/>, so the statement has one form.
/// </summary>
public sealed record ProvenanceFacts
{
    /// <summary>The published files (.dsc, .deb, …) with their hashes: the statement's subjects. At least one.</summary>
    public required IReadOnlyList<ProvenanceFile> Subjects { get; init; }

    /// <summary>The host that built and published (<c>Audit:HostName</c>, as the audit record's host field).</summary>
    public required string Host { get; init; }

    /// <summary>SHA-256 of the VM image manifest as 64 lowercase hex digits; for a copy, the copied build's image.</summary>
    public required string ImageSha256 { get; init; }

    public required ProvenanceRequest Request { get; init; }

    /// <summary>The source package files (.dsc, .orig.tar.*, .debian.tar.*) the build was given.</summary>
    public required IReadOnlyList<ProvenanceFile> SourceFiles { get; init; }

    /// <summary>The build-deps; for a copy, those of the copied build.</summary>
    public required IReadOnlyList<ProvenanceBuildDependency> BuildDeps { get; init; }

    /// <summary>For a cross-pocket copy, the build copied and the seq of its build-end record; null for a build.</summary>
    public AuditCopySource? CopyOf { get; init; }

    public required long BuildId { get; init; }

    public required int Attempt { get; init; }

    public required DateTimeOffset StartedOn { get; init; }

    public required DateTimeOffset FinishedOn { get; init; }
}
