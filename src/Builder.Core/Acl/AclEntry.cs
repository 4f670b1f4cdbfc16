namespace Builder.Core.Acl;

/// <summary>One line of acl/&lt;pocket&gt;: a principal, or a group when <see cref="IsGroup"/> (written <c>@group</c>).</summary>
internal sealed record AclEntry(string Name, bool IsGroup, AclFlags Flags, int Line);
