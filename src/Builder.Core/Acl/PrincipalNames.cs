namespace Builder.Core.Acl;

/// <summary>
/// Principal and group names: <c>[a-z_][a-z0-9_-]{0,31}</c>, the portable Unix user name rule, so a principal can be
/// the submitter's login name and a key file name (<c>keys/&lt;principal&gt;.pub</c>) never needs quoting.
/// </summary>
internal static class PrincipalNames
{
    public const int MaxLength = 32;

    public static bool IsValid(string name) =>
        name.Length is > 0 and <= MaxLength
        && (name[0] is (>= 'a' and <= 'z') or '_')
        && name.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '_' or '-');
}
