namespace Builder.Core.Acl;

/// <summary>Flags that follow an entry in acl/&lt;pocket&gt;.</summary>
[Flags]
public enum AclFlags
{
    None = 0,

    /// <summary><c>cancel-any</c>: may cancel builds of other requesters in this pocket.</summary>
    CancelAny = 1,
}
