namespace Builder.Sources.Packaging;

/// <summary>
/// The output of <c>dpkg-source -b</c>: the .dsc and the files it lists, each hashed, in <see cref="Directory"/>.
/// This is what goes on the VM's job disk and into the audit record.
/// </summary>
public sealed record SourcePackage(string Directory, SourceFormat Format, SourceArtifact Dsc, IReadOnlyList<SourceArtifact> Files)
{
    /// <summary>The .dsc first, then the files it lists.</summary>
    public IEnumerable<SourceArtifact> All => Files.Prepend(Dsc);
}
