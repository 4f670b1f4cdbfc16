using Builder.Core.Processes;
using Builder.Tests.Common;

namespace Builder.Core.Tests.Processes;

/// <summary>
/// Every child of a process holding capabilities starts through setpriv with none; a child of one holding none starts
/// as it is. The last test runs real children of this test process (root under ops/test, so it holds them all).
/// </summary>
public sealed class CapabilityDropTests
{
    private static readonly ProcessPrivileges None = new(0, 0, 0, 0, 0, false, 1000, 1000);
    private static readonly ProcessPrivileges Unit = new(0x1e1, 0x1e1, 0x1e1, 0x1e1, 0x1e1, true, 998, 997);
    private static readonly ProcessPrivileges Root = new(0, 0x1ffffffffff, 0x1ffffffffff, 0x1ffffffffff, 0, false, 0, 0);

    [Fact]
    public void A_parent_without_capabilities_needs_no_wrapper()
    {
        Assert.Empty(CapabilityDrop.Arguments(None));
        Assert.Empty(CapabilityDrop.Arguments(None with { Bounding = 0x1ffffffffff }));
    }

    [Fact]
    public void A_parent_with_capabilities_empties_inheritable_ambient_and_bounding_and_sets_no_new_privs()
    {
        string[] expected = ["--inh-caps=-all", "--ambient-caps=-all", "--bounding-set=-all", "--no-new-privs"];

        Assert.Equal(expected, CapabilityDrop.Arguments(Unit));
        Assert.Equal(expected, CapabilityDrop.Arguments(Root));
        Assert.Equal(expected, CapabilityDrop.Arguments(None with { Ambient = 1 << ProcessPrivileges.CapSetPcap, Permitted = 1 << 8, Effective = 1 << 8 }));
    }

    [Fact]
    public void Without_CAP_SETPCAP_the_bounding_set_cannot_be_dropped_and_is_left_out()
    {
        var setuidOnly = Unit with { Permitted = 0xc0, Effective = 0xc0, Ambient = 0xc0 };

        Assert.Equal(["--inh-caps=-all", "--ambient-caps=-all", "--no-new-privs"], CapabilityDrop.Arguments(setuidOnly));
    }

    [Fact]
    public void The_start_info_runs_the_resolved_program_under_setpriv_with_its_arguments_unchanged()
    {
        var info = new ProcessCommand("/bin/sh", ["-c", "echo \"$1\"", "sh", "--", "a b"]).ToStartInfo(Unit);

        Assert.Equal("setpriv", info.FileName);
        Assert.Equal(["--inh-caps=-all", "--ambient-caps=-all", "--bounding-set=-all", "--no-new-privs", "--", "/bin/sh", "-c", "echo \"$1\"", "sh", "--", "a b"],
            info.ArgumentList);
    }

    [Fact]
    public void Without_capabilities_or_with_KeepCapabilities_the_program_starts_as_it_is()
    {
        var plain = new ProcessCommand("sh", ["-c", "true"]).ToStartInfo(None);
        var kept = new ProcessCommand("setpriv", ["--reuid=2000000", "--", "true"]) { KeepCapabilities = true }.ToStartInfo(Unit);

        Assert.Equal("sh", plain.FileName);
        Assert.Equal(["-c", "true"], plain.ArgumentList);
        Assert.Equal("setpriv", kept.FileName);
        Assert.Equal(["--reuid=2000000", "--", "true"], kept.ArgumentList);
    }

    [Fact]
    public void A_program_that_cannot_be_found_is_not_wrapped_so_its_start_fails_as_a_start_failure()
    {
        var info = new ProcessCommand("/nonexistent/builder-tool", ["x"]).ToStartInfo(Unit);

        Assert.Equal("/nonexistent/builder-tool", info.FileName);
        Assert.Equal(["x"], info.ArgumentList);
    }

    [Fact]
    [Trait(Categories.Name, Categories.Integration)]
    public async Task A_real_child_of_a_privileged_process_holds_no_capability_and_has_no_new_privs()
    {
        Assert.True(ProcessPrivileges.Current.HoldsAny, "this test needs a test process holding capabilities (ops/test runs as root)");

        var result = await ProcessRunner.RunCheckedAsync(new ProcessCommand("cat", ["/proc/self/status"]), CancellationToken.None);

        var child = ProcessPrivileges.Parse(result.StandardOutput);
        Assert.True(child.HoldsNone, result.StandardOutput);
        Assert.True(child.NoNewPrivileges);
        Assert.Equal(ProcessPrivileges.Current.Uid, child.Uid);
    }
}
