using Builder.Tests.Common;
using Builder.Vm.Qemu;

namespace Builder.Vm.Tests.Qemu;

public sealed class KvmProbeTests : IDisposable
{
    private readonly string _dir = TestEnvironment.NewTempDirectory("kvm");

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private (string Device, string CpuInfo) Files(string flags, bool device = true)
    {
        var dev = Path.Combine(_dir, "kvm");
        if (device)
        {
            File.WriteAllText(dev, "");
        }
        var cpuinfo = Path.Combine(_dir, "cpuinfo");
        File.WriteAllText(cpuinfo, $"processor\t: 0\nflags\t\t: {flags}\n");
        return (dev, cpuinfo);
    }

    [Fact]
    public void KVM_is_used_when_the_device_opens_and_the_CPU_has_VT_x()
    {
        var (device, cpuinfo) = Files("fpu vme vmx sse2");

        Assert.True(KvmProbe.IsUsable(device, cpuinfo));
    }

    [Fact]
    public void Without_VT_x_or_AMD_V_KVM_is_not_used_even_if_the_device_exists()
    {
        var (device, cpuinfo) = Files("fpu vme sse2 hypervisor");

        Assert.False(KvmProbe.IsUsable(device, cpuinfo));
    }

    [Fact]
    public void Without_the_device_KVM_is_not_used()
    {
        var (device, cpuinfo) = Files("svm", device: false);

        Assert.False(KvmProbe.IsUsable(device, cpuinfo));
    }
}
