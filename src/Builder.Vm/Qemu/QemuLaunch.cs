using Builder.Vm.Images;

namespace Builder.Vm.Qemu;

/// <summary>Everything one qemu invocation needs; <see cref="QemuCommandLine"/> turns it into an argument list.</summary>
internal sealed record QemuLaunch(
    VmImage Image,
    string Overlay,
    string JobDisk,
    string OutputDisk,
    string QmpSocket,
    bool UseKvm,
    int? GatewayPort,
    UnixUser? RunAs);
