namespace Builder.Core.Requests;

internal static class FieldNameChars
{
    /// <summary>Field names are lowercase letters and dashes; anything else makes the line malformed.</summary>
    public static bool ContainsOnlyFieldNameChars(this ReadOnlySpan<char> name)
    {
        foreach (var c in name)
        {
            if (c is not ((>= 'a' and <= 'z') or '-'))
            {
                return false;
            }
        }
        return true;
    }
}
