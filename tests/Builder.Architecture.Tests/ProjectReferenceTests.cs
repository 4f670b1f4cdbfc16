using System.Reflection;

namespace Builder.Architecture.Tests;

/// <summary>
/// One project per dependency boundary (DESIGN.md): each src assembly references exactly these Builder assemblies
/// and packages. Read from the built assemblies, so a using or a project reference that crosses a boundary fails
/// here, not in an auditor's output directory. The shared frameworks' assemblies are left out.
/// </summary>
public sealed class ProjectReferenceTests
{
    [Theory]
    [InlineData("Builder.Core", "BouncyCastle.Cryptography")]
    [InlineData("Builder.Audit", "Builder.Core MailKit MimeKit")]
    [InlineData("Builder.Store", "Builder.Core Dapper Npgsql")]
    [InlineData("Builder.Farm", "Builder.Core")]
    [InlineData("Builder.Sources", "Builder.Core LibGit2Sharp")]
    [InlineData("Builder.Vm", "Builder.Core SharpCompress")]
    [InlineData("builder", "Builder.Audit Builder.Core System.CommandLine")]
    [InlineData("builderd", "Builder.Audit Builder.Core Builder.Farm Builder.Sources Builder.Store Builder.Vm MimeKit Quartz System.CommandLine")]
    public void Assembly_references_exactly_its_boundary(string assembly, string expected)
    {
        var references = Assembly.Load(new AssemblyName(assembly)).GetReferencedAssemblies()
            .Select(a => a.Name!)
            .Where(name => !SharedFramework.Contains(name))
            .Order(StringComparer.Ordinal);

        Assert.Equal(expected.Split(' ').Order(StringComparer.Ordinal), references);
    }
}
