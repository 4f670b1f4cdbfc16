namespace Builder.Core.Acl;

/// <summary>What a principal asks to do in a pocket.</summary>
public enum AclAction
{
    /// <summary>Submit a build: needs an entry in acl/&lt;pocket&gt;.</summary>
    Submit,

    /// <summary>Cancel one's own build: needs an entry in acl/&lt;pocket&gt;.</summary>
    Cancel,

    /// <summary>Cancel someone else's build: needs an entry with the <c>cancel-any</c> flag.</summary>
    CancelAny,
}
