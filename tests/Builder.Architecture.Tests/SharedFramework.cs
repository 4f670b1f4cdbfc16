using System.Runtime.InteropServices;

namespace Builder.Architecture.Tests;

/// <summary>The assemblies of the shared frameworks this test runs on (Microsoft.NETCore.App, Microsoft.AspNetCore.App).</summary>
internal static class SharedFramework
{
    private static readonly HashSet<string> Names = Load();

    public static bool Contains(string assembly) => Names.Contains(assembly);

    private static HashSet<string> Load()
    {
        // .../shared/Microsoft.NETCore.App/<version>/ ; ASP.NET Core's framework of the same version sits beside it.
        var core = new DirectoryInfo(RuntimeEnvironment.GetRuntimeDirectory());
        var asp = Path.Combine(core.Parent!.Parent!.FullName, "Microsoft.AspNetCore.App", core.Name);
        var names = new HashSet<string>(StringComparer.Ordinal) { "mscorlib", "netstandard" };
        foreach (var dir in new[] { core.FullName, asp })
        {
            foreach (var file in Directory.GetFiles(dir, "*.dll"))
            {
                names.Add(Path.GetFileNameWithoutExtension(file));
            }
        }
        return names;
    }
}
