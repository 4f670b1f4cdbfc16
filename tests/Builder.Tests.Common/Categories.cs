namespace Builder.Tests.Common;

/// <summary>
/// Trait values. Tests that need a service carry <c>[Trait(Categories.Name, Categories.Integration)]</c>;
/// <c>ops/test --fast</c> runs everything else.
/// </summary>
public static class Categories
{
    public const string Name = "Category";
    public const string Integration = "Integration";
}
