namespace Builder.Vm.Output.Binaries;

/// <summary>The <c>Source</c> field of a binary package or .changes: <c>name</c>, or <c>name (version)</c> when the versions differ.</summary>
internal static class SourceField
{
    public static bool TryParse(string value, out string name, out string? version)
    {
        version = null;
        var open = value.IndexOf(' ', StringComparison.Ordinal);
        if (open < 0)
        {
            name = value;
            return value.Length > 0;
        }
        name = value[..open];
        var rest = value[(open + 1)..];
        if (rest.Length < 3 || rest[0] != '(' || rest[^1] != ')' || rest[1..^1].Any(c => char.IsWhiteSpace(c) || c is '(' or ')'))
        {
            return false;
        }
        version = rest[1..^1];
        return true;
    }
}
