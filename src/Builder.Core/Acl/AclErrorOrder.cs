namespace Builder.Core.Acl;

/// <summary>Orders errors by file (ordinal), then line (errors about the whole file first), then message.</summary>
internal sealed class AclErrorOrder : IComparer<AclError>
{
    public static readonly AclErrorOrder Instance = new();

    public int Compare(AclError? x, AclError? y)
    {
        if (ReferenceEquals(x, y))
        {
            return 0;
        }
        if (x is null || y is null)
        {
            return x is null ? -1 : 1;
        }
        var c = string.CompareOrdinal(x.File, y.File);
        if (c == 0)
        {
            c = (x.Line ?? 0).CompareTo(y.Line ?? 0);
        }
        return c != 0 ? c : string.CompareOrdinal(x.Message, y.Message);
    }
}
