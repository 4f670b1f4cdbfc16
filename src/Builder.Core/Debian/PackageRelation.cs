namespace Builder.Core.Debian;

/// <summary>
/// One alternative of a relation: <c>name[:archqual] [(op version)] [arch list] [&lt;profiles&gt;…]</c>.
/// </summary>
public sealed record PackageRelation(
    string Package,
    string? ArchQualifier,
    VersionConstraint? Version,
    IReadOnlyList<ArchRestriction> Architectures,
    IReadOnlyList<IReadOnlyList<BuildProfileTerm>> Profiles)
{
    public override string ToString()
    {
        var s = ArchQualifier is null ? Package : $"{Package}:{ArchQualifier}";
        if (Version is not null)
        {
            s += $" {Version}";
        }
        if (Architectures.Count > 0)
        {
            s += $" [{string.Join(' ', Architectures)}]";
        }
        foreach (var list in Profiles)
        {
            s += $" <{string.Join(' ', list)}>";
        }
        return s;
    }
}
