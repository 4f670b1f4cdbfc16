namespace Builder.Core.Debian;

/// <summary>The <c>(op version)</c> part of a relation.</summary>
public sealed record VersionConstraint(RelationOperator Operator, DebianVersion Version)
{
    public bool IsSatisfiedBy(DebianVersion candidate)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        var c = DebianVersion.Compare(candidate, Version);
        return Operator switch
        {
            RelationOperator.StrictlyEarlier => c < 0,
            RelationOperator.EarlierOrEqual => c <= 0,
            RelationOperator.Exactly => c == 0,
            RelationOperator.LaterOrEqual => c >= 0,
            RelationOperator.StrictlyLater => c > 0,
            _ => false,
        };
    }

    public static string Symbol(RelationOperator op) => op switch
    {
        RelationOperator.StrictlyEarlier => "<<",
        RelationOperator.EarlierOrEqual => "<=",
        RelationOperator.Exactly => "=",
        RelationOperator.LaterOrEqual => ">=",
        RelationOperator.StrictlyLater => ">>",
        _ => throw new ArgumentOutOfRangeException(nameof(op), op, null),
    };

    public override string ToString() => $"({Symbol(Operator)} {Version})";
}
