namespace Builder.Core.Debian;

/// <summary>The version operators of a package relation (Debian Policy 7.1); the obsolete &lt; and &gt; are refused.</summary>
public enum RelationOperator
{
    /// <summary><c>&lt;&lt;</c></summary>
    StrictlyEarlier,

    /// <summary><c>&lt;=</c></summary>
    EarlierOrEqual,

    /// <summary><c>=</c></summary>
    Exactly,

    /// <summary><c>&gt;=</c></summary>
    LaterOrEqual,

    /// <summary><c>&gt;&gt;</c></summary>
    StrictlyLater,
}
