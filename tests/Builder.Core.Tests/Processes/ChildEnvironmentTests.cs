using Builder.Core.Processes;
using Builder.Tests.Common.Processes;

namespace Builder.Core.Tests.Processes;

/// <summary>What a child of <see cref="ProcessRunner"/> sees of its parent's environment: nothing it was not given.</summary>
[Collection(PlantedEnvironmentCollection.Name)]
public sealed class ChildEnvironmentTests
{
    private static readonly ProcessPrivileges Unit = new(0, 0x1e1, 0x1e1, 0x1e1, 0x1e1, false, 1000, 1000);

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

    [Fact]
    public async Task A_variable_named_in_Inherit_is_passed_on_and_the_others_are_not()
    {
        using var planted = new PlantedEnvironment(new Dictionary<string, string> { ["SSH_AUTH_SOCK"] = "/run/user/1000/agent.sock" });

        var seen = await EnvironmentOfAsync(new ProcessCommand("/usr/bin/env", ["-0"]) { Inherit = { "SSH_AUTH_SOCK", "BUILDER_TEST_NOT_SET" } });

        Assert.Equal(["LANG=C.UTF-8", "PATH=/usr/sbin:/usr/bin:/sbin:/bin", "SSH_AUTH_SOCK=/run/user/1000/agent.sock"], seen);
    }

    [Theory]
    [InlineData("*")]
    [InlineData("")]
    [InlineData("BUILDER__*")]
    [InlineData("A=B")]
    [InlineData("1PATH")]
    public void Inherit_takes_single_names_only_never_a_pattern_or_all(string name)
    {
        var command = new ProcessCommand("/usr/bin/env", []);

        var e = Assert.Throws<ArgumentException>(() => command.Inherit.Add(name));

        Assert.Contains("never by pattern or all of them", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_setpriv_wrapper_of_a_privileged_parent_gets_the_same_explicit_environment()
    {
        using var planted = new PlantedEnvironment();

        var info = new ProcessCommand("/usr/bin/env", []) { Environment = { ["GNUPGHOME"] = "/srv/gnupg" } }.ToStartInfo(Unit);

        Assert.Equal(CapabilityDrop.Setpriv, info.FileName);
        Assert.Equal(["GNUPGHOME=/srv/gnupg", "LANG=C.UTF-8", "PATH=/usr/sbin:/usr/bin:/sbin:/bin"],
            info.Environment.Select(e => $"{e.Key}={e.Value}").Order(StringComparer.Ordinal));
    }
}
