namespace Builder.Core.Debian;

/// <summary>One architecture of a <c>[amd64 !i386]</c> list; a list is either all negated or none.</summary>
public sealed record ArchRestriction(bool Negated, string Architecture)
{
    public override string ToString() => Negated ? $"!{Architecture}" : Architecture;
}
