namespace Builder.Core.Debian;

/// <summary>
/// One binary stanza of debian/control: the package name a build may hand back, the architectures it is built for
/// (<c>all</c>, <c>any</c>, names or wildcards like <c>linux-any</c>) and whether it is a <c>deb</c> or a <c>udeb</c>.
/// The host checks a build's returned packages against these, so a debian/rules that builds more than its
/// control declares cannot publish it.
/// </summary>
/// <param name="Package">the binary package name.</param>
/// <param name="Architectures">the Architecture field's words, in order.</param>
/// <param name="PackageType"><c>deb</c> (the default when the field is absent) or <c>udeb</c>.</param>
/// <param name="Line">the 1-based line of the stanza's Package field, for messages.</param>
public sealed record BinaryControl(string Package, IReadOnlyList<string> Architectures, string PackageType, int Line)
{
    /// <summary>True for <c>Architecture: all</c>: one package for every architecture, whose files say <c>all</c>.</summary>
    public bool IsArchitectureIndependent => Architectures is ["all"];

    /// <summary>True when a build for <paramref name="buildArchitecture"/> produces this package (with that architecture).</summary>
    public bool IsBuiltFor(string buildArchitecture) =>
        !IsArchitectureIndependent && Architectures.Any(a => DebianArchitecture.Matches(buildArchitecture, a));
}
