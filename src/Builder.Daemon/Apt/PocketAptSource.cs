using Builder.Core.Audit;

namespace Builder.Daemon.Apt;

/// <summary>
/// A pocket's repository offered to a build as a source of build-dependencies: the pocket's own, or one it names in
/// <c>Pockets:&lt;p&gt;:BuildDepsFrom</c>. It is read as a signed source: apt checks the distribution's InRelease
/// against <paramref name="Keyring"/> (the repository's public key), never trusted=yes.
/// </summary>
/// <param name="Pocket">the pocket whose distribution this is.</param>
/// <param name="BaseDirectory">the reprepro base directory (Apt:BaseDirectory).</param>
/// <param name="Distribution">the pocket's distribution (codename).</param>
/// <param name="Keyring">an OpenPGP keyring file holding the key the Release files are signed with.</param>
internal sealed record PocketAptSource(string Pocket, string BaseDirectory, string Distribution, string Keyring)
{
    /// <summary>
    /// The one-line APT source. <c>copy:</c>, not <c>file:</c>: apt uses file: packages where they lie instead of
    /// putting them in its archive cache, where the resolver takes the job disk's .debs from.
    /// </summary>
    public string Line => $"deb [signed-by={Keyring}] copy:{BaseDirectory} {Distribution} main";

    /// <summary>The repository as apt's indextargets names it (<c>$(REPO_URI)</c>).</summary>
    public string RepositoryUri => $"copy:{BaseDirectory.TrimEnd('/')}/";

    /// <summary>The origin a build-dependency taken from this pocket is recorded with.</summary>
    public string Origin => AuditDependencyOrigin.Pocket(Pocket);
}
