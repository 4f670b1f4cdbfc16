using Builder.Core.Processes;
using Builder.Vm.Isolation;
using Builder.Vm.Running;

namespace Builder.Vm.Tests.Isolation;

public sealed class IsolationProblemTests
{
    private static readonly UidRange Range = new(2000000, 2000999);
    private static readonly ProcessPrivileges Unit = new(0x1e1, 0x1e1, 0x1e1, 0x1e1, 0x1e1, true, 998, 997);

    [Fact]
    public void The_units_five_capabilities_are_enough()
    {
        Assert.Null(VmRunner.IsolationProblem(Range, Unit));
    }

    [Fact]
    public void A_daemon_missing_capabilities_is_told_which_and_what_to_do()
    {
        // The old unit: CAP_SETUID and CAP_SETGID only.
        var old = Unit with { Permitted = 0xc0, Effective = 0xc0, Ambient = 0xc0, Inheritable = 0xc0, Bounding = 0xc0 };

        Assert.Equal("Vm:UidRange is 2000000-2000999 but builderd lacks CAP_CHOWN, CAP_KILL, CAP_SETPCAP: run it as ops/systemd/builderd.service does "
            + "(AmbientCapabilities), or set Vm:UidRange to \"\" (insecure: qemu then runs as the daemon's own user, see SECURITY.md)",
            VmRunner.IsolationProblem(Range, old));
    }

    [Fact]
    public void A_range_holding_the_daemons_own_uid_or_gid_is_refused()
    {
        Assert.Equal("Vm:UidRange 2000000-2000999 contains builderd's own uid 2000005 or gid 997",
            VmRunner.IsolationProblem(Range, Unit with { Uid = 2000005 }));
        Assert.NotNull(VmRunner.IsolationProblem(Range, Unit with { Gid = 2000999 }));
    }
}
