using Builder.Core.Processes;
using Builder.Tests.Common.Processes;

namespace Builder.Core.Tests.Processes;

/// <summary>What a child of <see cref="ProcessRunner"/> sees of its parent's environment: nothing it was not given.</summary>
[Collection(PlantedEnvironmentCollection.Name)]
public sealed class ChildEnvironmentTests
{
    private static async Task<IReadOnlyList<string>> EnvironmentOfAsync(ProcessCommand command)
    {
        var result = await ProcessRunner.RunCheckedAsync(command, CancellationToken.None);
        return [.. result.StandardOutput.Split('\0', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal)];
    }

    [Fact]
    public async Task A_child_sees_the_fixed_PATH_and_LANG_and_what_its_command_sets_and_nothing_planted_in_its_parent()
    {
        using var planted = new PlantedEnvironment();

        var seen = await EnvironmentOfAsync(new ProcessCommand("/usr/bin/env", ["-0"]) { Environment = { ["HOME"] = "/nonexistent/home" } });

        Assert.Equal(["HOME=/nonexistent/home", "LANG=C.UTF-8", "PATH=/usr/sbin:/usr/bin:/sbin:/bin"], seen);
    }
}
