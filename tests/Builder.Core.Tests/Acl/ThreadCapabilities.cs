using System.Runtime.InteropServices;

namespace Builder.Core.Tests.Acl;

/// <summary>
/// Runs code on a dedicated thread without CAP_DAC_OVERRIDE and CAP_DAC_READ_SEARCH in its effective set. Linux keeps
/// capabilities per thread, so root's test process can meet a real "Permission denied" from the kernel (as the
/// daemon's own user would) without changing any other thread.
/// </summary>
internal static class ThreadCapabilities
{
    private const uint Version3 = 0x20080522;
    private const int DacOverride = 1;
    private const int DacReadSearch = 2;

    public static T WithoutFileOverride<T>(Func<T> action)
    {
        T result = default!;
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                var header = new CapHeader { Version = Version3, Pid = 0 };
                var data = new CapData[2];
                Check(CapGet(ref header, data), "capget");
                var saved = data[0].Effective;
                data[0].Effective &= ~((1u << DacOverride) | (1u << DacReadSearch));
                Check(CapSet(ref header, data), "capset");
                try
                {
                    result = action();
                }
                finally
                {
                    data[0].Effective = saved;
                    Check(CapSet(ref header, data), "capset (restore)");
                }
            }
            catch (Exception e)
            {
                failure = e;
            }
        });
        thread.Start();
        thread.Join();
        return failure is null ? result : throw new InvalidOperationException("running without file capabilities failed", failure);
    }

    private static void Check(int rc, string call)
    {
        if (rc != 0)
        {
            throw new InvalidOperationException($"{call} failed: {Marshal.GetLastPInvokeErrorMessage()}");
        }
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct CapHeader
    {
        public uint Version;
        public int Pid;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct CapData
    {
        public uint Effective;
        public uint Permitted;
        public uint Inheritable;
    }

    [DllImport("libc", EntryPoint = "capget", SetLastError = true)]
    private static extern int CapGet(ref CapHeader header, [Out] CapData[] data);

    [DllImport("libc", EntryPoint = "capset", SetLastError = true)]
    private static extern int CapSet(ref CapHeader header, [In] CapData[] data);
}
