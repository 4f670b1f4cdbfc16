using Builder.Core.Processes;
using Builder.Tests.Common;
using Builder.Tests.Common.Processes;
using Builder.Vm.Qemu;

namespace Builder.Vm.Tests.Qemu;

/// <summary>qemu's start info (what the VM runner starts) while the daemon's environment holds plants.</summary>
[Collection(PlantedEnvironmentCollection.Name)]
public sealed class QemuEnvironmentTests : IDisposable
{
    private readonly string _dir = TestEnvironment.NewTempDirectory("qemu-env");

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Qemu_and_the_connectors_it_forks_get_only_the_fixed_PATH_and_LANG()
    {
        var launch = new QemuLaunch(ImageFiles.Create(_dir), $"{_dir}/overlay.qcow2", $"{_dir}/job.tar", $"{_dir}/output.img", UseKvm: false,
            GatewayPort: 41234, BuildUid: 2000000, new ProcessPrivileges(0, 0x1e1, 0x1e1, 0x1e1, 0x1e1, false, 1000, 1000));
        using var planted = new PlantedEnvironment();

        var info = QemuCommandLine.Command(launch, new VmOptions()).ToStartInfo();

        Assert.Equal(CapabilityDrop.Setpriv, info.FileName);
        Assert.Equal(["LANG=C.UTF-8", "PATH=/usr/sbin:/usr/bin:/sbin:/bin"], info.Environment.Select(e => $"{e.Key}={e.Value}").Order(StringComparer.Ordinal));
    }
}
