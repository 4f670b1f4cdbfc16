using Builder.Core.Processes;

namespace Builder.Core.Tests.Processes;

public sealed class ProcessPrivilegesTests
{
    // The lines of a real /proc/PID/status that matter here, with some around them, as builderd under its unit shows them.
    private const string UnitStatus = """
        Name:	dotnet
        Umask:	0027
        State:	S (sleeping)
        Uid:	998	998	998	998
        Gid:	997	997	997	997
        Groups:	997
        CapInh:	00000000000001e1
        CapPrm:	00000000000001e1
        CapEff:	00000000000001e1
        CapBnd:	00000000000001e1
        CapAmb:	00000000000001e1
        NoNewPrivs:	1
        Seccomp:	2

        """;

    [Fact]
    public void The_five_capability_sets_no_new_privs_and_the_effective_ids_are_read_from_proc_status()
    {
        var p = ProcessPrivileges.Parse(UnitStatus);

        Assert.Equal(new ProcessPrivileges(0x1e1, 0x1e1, 0x1e1, 0x1e1, 0x1e1, true, 998, 997), p);
        Assert.True(p.HoldsAny);
        Assert.False(p.HoldsNone);
        foreach (var cap in new[] { ProcessPrivileges.CapChown, ProcessPrivileges.CapKill, ProcessPrivileges.CapSetGid, ProcessPrivileges.CapSetUid,
            ProcessPrivileges.CapSetPcap })
        {
            Assert.True(p.HasEffective(cap), $"capability {cap}");
        }
        Assert.False(p.HasEffective(1), "CAP_DAC_OVERRIDE is not in 0x1e1");
    }

    [Fact]
    public void A_process_with_empty_sets_holds_none_even_with_a_full_bounding_set_it_cannot_use()
    {
        var user = ProcessPrivileges.Parse(UnitStatus.Replace("00000000000001e1", "0000000000000000", StringComparison.Ordinal));
        var boundOnly = user with { Bounding = 0x1ffffffffff };

        Assert.True(user.HoldsNone);
        Assert.False(user.HoldsAny);
        Assert.False(boundOnly.HoldsAny);
        Assert.False(boundOnly.HoldsNone);
    }

    [Theory]
    [InlineData("CapAmb:\t00000000000001e1\n", "/proc status has no CapAmb line")]
    [InlineData("CapEff:\t00000000000001e1\n", "/proc status has no CapEff line")]
    [InlineData("NoNewPrivs:\t1\n", "/proc status has no NoNewPrivs line")]
    public void A_missing_line_is_an_error_not_an_empty_set(string line, string expected)
    {
        var e = Assert.Throws<FormatException>(() => ProcessPrivileges.Parse(UnitStatus.Replace(line, "", StringComparison.Ordinal)));

        Assert.Equal(expected, e.Message);
    }

    [Fact]
    public void A_mask_that_is_not_hex_is_an_error()
    {
        var e = Assert.Throws<FormatException>(() => ProcessPrivileges.Parse(UnitStatus.Replace("CapPrm:\t00000000000001e1", "CapPrm:\tall", StringComparison.Ordinal)));

        Assert.Equal("/proc status: CapPrm is not a hex mask: 'all'", e.Message);
    }

    [Fact]
    public void This_process_is_read_from_proc_self_status()
    {
        var status = File.ReadAllText("/proc/self/status");

        Assert.Equal(ProcessPrivileges.Parse(status) with { NoNewPrivileges = ProcessPrivileges.Current.NoNewPrivileges }, ProcessPrivileges.Current);
    }
}
