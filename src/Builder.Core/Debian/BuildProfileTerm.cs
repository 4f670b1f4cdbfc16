namespace Builder.Core.Debian;

/// <summary>One term of a build-profile restriction list <c>&lt;!nocheck cross&gt;</c> (terms of one list are ANDed, lists ORed).</summary>
public sealed record BuildProfileTerm(bool Negated, string Profile)
{
    public override string ToString() => Negated ? $"!{Profile}" : Profile;
}
