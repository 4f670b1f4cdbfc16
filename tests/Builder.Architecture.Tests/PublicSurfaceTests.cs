using System.Reflection;

namespace Builder.Architecture.Tests;

/// <summary>
/// Types are internal unless another project uses them. The executables are used by no project: the daemon and the
/// CLI export no type at all (their tests see their internals through InternalsVisibleTo).
/// </summary>
public sealed class PublicSurfaceTests
{
    [Theory]
    [InlineData("builder")]
    [InlineData("builderd")]
    public void An_executable_exports_no_type(string assembly)
    {
        var exported = Assembly.Load(new AssemblyName(assembly)).GetExportedTypes().Select(t => t.FullName).Order(StringComparer.Ordinal);

        Assert.Empty(exported);
    }
}
