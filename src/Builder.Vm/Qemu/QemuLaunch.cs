using Builder.Core.Processes;
using Builder.Vm.Images;

namespace Builder.Vm.Qemu;

/// <summary>
/// Everything one qemu invocation needs; <see cref="QemuCommandLine"/> turns it into an argument list. BuildUid is the
/// build's own uid (<c>Vm:UidRange</c>), null to run qemu as the daemon's user; Daemon the daemon's privileges, what
/// there is to drop in that case.
/// </summary>
internal sealed record QemuLaunch(
    VmImage Image,
    string Overlay,
    string JobDisk,
    string OutputDisk,
    bool UseKvm,
    int? GatewayPort,
    uint? BuildUid,
    ProcessPrivileges Daemon);
