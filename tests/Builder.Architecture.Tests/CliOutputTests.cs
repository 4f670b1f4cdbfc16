using System.Reflection;
using System.Text.Json;

namespace Builder.Architecture.Tests;

/// <summary>
/// <c>builder audit verify</c> is the auditor's tool: its output directory carries no database driver, no
/// scheduler and no farm gateway. Read from the CLI's own build output (its deps.json and its files).
/// </summary>
public sealed class CliOutputTests
{
    private static readonly string[] Forbidden = ["Npgsql", "Dapper", "Quartz", "Builder.Farm", "Builder.Store", "Builder.Daemon"];

    [Fact]
    public void Cli_deps_json_lists_no_store_farm_or_scheduler()
    {
        using var deps = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(CliOutput(), "builder.deps.json")));
        var libraries = deps.RootElement.GetProperty("libraries").EnumerateObject().Select(p => p.Name.Split('/')[0]).ToList();

        Assert.Contains("Builder.Audit", libraries);
        Assert.Empty(libraries.Intersect(Forbidden, StringComparer.OrdinalIgnoreCase));
    }

    [Fact]
    public void Cli_output_directory_holds_no_store_farm_or_scheduler_assembly()
    {
        var files = Directory.GetFiles(CliOutput(), "*.dll").Select(Path.GetFileNameWithoutExtension).ToList();

        Assert.Contains("Builder.Audit", files);
        Assert.Empty(files.Intersect(Forbidden, StringComparer.OrdinalIgnoreCase));
    }

    /// <summary>src/Builder.Cli/bin/&lt;configuration&gt;/net10.0 of this checkout, built with the same configuration as this test.</summary>
    private static string CliOutput()
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(root.FullName, "Builder.sln")))
        {
            root = root.Parent ?? throw new InvalidOperationException($"no Builder.sln above {AppContext.BaseDirectory}");
        }
        var configuration = typeof(CliOutputTests).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()!.Configuration;
        var framework = new DirectoryInfo(AppContext.BaseDirectory).Name;
        var dir = Path.Combine(root.FullName, "src", "Builder.Cli", "bin", configuration, framework);
        Assert.True(File.Exists(Path.Combine(dir, "builder.deps.json")), $"the CLI is not built: {dir} has no builder.deps.json");
        return dir;
    }
}
