namespace Builder.Core.Debian;

/// <summary>One comma-separated element of a relation field: alternatives separated by <c>|</c>, any one of which satisfies it.</summary>
public sealed record Relation(IReadOnlyList<PackageRelation> Alternatives)
{
    public override string ToString() => string.Join(" | ", Alternatives);
}
