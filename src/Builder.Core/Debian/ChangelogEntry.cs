namespace Builder.Core.Debian;

/// <summary>The first (newest) entry of debian/changelog: what the build is of.</summary>
public sealed record ChangelogEntry(
    string Source,
    DebianVersion Version,
    IReadOnlyList<string> Distributions,
    string Urgency,
    string MaintainerName,
    string MaintainerEmail,
    DateTimeOffset Date)
{
    /// <summary><c>Name &lt;email&gt;</c>, as in the trailer line.</summary>
    public string Maintainer => $"{MaintainerName} <{MaintainerEmail}>";
}
