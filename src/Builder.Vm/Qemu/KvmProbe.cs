namespace Builder.Vm.Qemu;

/// <summary>Whether KVM can be used here: /dev/kvm opens read-write and the CPU has VT-x or AMD-V.</summary>
internal static class KvmProbe
{
    public static bool IsUsable(string device = "/dev/kvm", string cpuinfo = "/proc/cpuinfo")
    {
        try
        {
            if (!File.Exists(device) || !File.Exists(cpuinfo))
            {
                return false;
            }
            var hasVirtualization = File.ReadLines(cpuinfo)
                .Where(l => l.StartsWith("flags", StringComparison.Ordinal))
                .Any(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries).Any(f => f is "vmx" or "svm"));
            if (!hasVirtualization)
            {
                return false;
            }
            using var handle = File.OpenHandle(device, FileMode.Open, FileAccess.ReadWrite);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}
