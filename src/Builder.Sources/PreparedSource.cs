using Builder.Core.Debian;
using Builder.Sources.Packaging;

namespace Builder.Sources;

/// <summary>The pocket accepts the commit and its source package is built.</summary>
/// <param name="CommitId">the resolved commit (40 hex), for builds.commit_id, the audit record and the tag.</param>
/// <param name="Changelog">the first debian/changelog entry (source, version, maintainer).</param>
/// <param name="Control">the Source stanza of debian/control, with the build relations the plan resolves.</param>
/// <param name="Package">the .dsc and tarballs with their sha256s.</param>
public sealed record PreparedSource(string CommitId, ChangelogEntry Changelog, SourceControl Control, SourcePackage Package) : SourcePreparation
{
    public DebianVersion Version => Changelog.Version;
}
