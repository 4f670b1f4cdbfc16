namespace Builder.Core.Acl;

/// <summary>The answer of <see cref="AclTree.Check"/>.</summary>
public enum AclOutcome
{
    Allowed,

    /// <summary>The principal has no entry in the pocket's ACL (or, for <see cref="AclAction.CancelAny"/>, no <c>cancel-any</c> flag).</summary>
    NotListed,

    /// <summary>The pocket's ACL, a group it uses or a key file of a principal it names has errors: nobody may act (fail-closed).</summary>
    PocketClosed,

    /// <summary>There is no acl/&lt;pocket&gt; file.</summary>
    NoSuchPocket,
}
