namespace Builder.Core.Pockets;

/// <summary>Name rules of DESIGN.md: pockets <c>[a-z0-9][a-z0-9-]*</c>, packages per Debian Policy 5.6.1.</summary>
public static class PocketNames
{
    public const int MaxLength = 64;

    public static bool IsValidPocket(string name) =>
        name.Length is > 0 and <= MaxLength && IsLowerAlnum(name[0]) && name.All(c => IsLowerAlnum(c) || c == '-');

    /// <summary>Debian source package name: at least two characters, lowercase letters, digits, + - ., starting alphanumeric.</summary>
    public static bool IsValidPackage(string name) =>
        name.Length is >= 2 and <= MaxLength && IsLowerAlnum(name[0]) && name.All(c => IsLowerAlnum(c) || c is '+' or '-' or '.');

    private static bool IsLowerAlnum(char c) => c is (>= 'a' and <= 'z') or (>= '0' and <= '9');
}
