using System.Runtime.InteropServices;

namespace Builder.Vm.Isolation;

/// <summary>The few system calls the VM runner makes itself rather than through a tool: ownership and signals.</summary>
internal static class Posix
{
    public const int SigTerm = 15;
    private const int Esrch = 3;

    /// <summary>Changes the owner of <paramref name="path"/> itself: a symbolic link is never followed.</summary>
    public static void LChown(string path, uint uid, uint gid)
    {
        if (NativeLChown(path, uid, gid) != 0)
        {
            throw new IOException($"lchown {path} to {uid}:{gid}: {Marshal.GetLastPInvokeErrorMessage()}");
        }
    }

    /// <summary>Sends <paramref name="signal"/>; false when the process is already gone.</summary>
    public static bool Kill(int pid, int signal)
    {
        if (NativeKill(pid, signal) == 0)
        {
            return true;
        }
        var errno = Marshal.GetLastPInvokeError();
        return errno == Esrch ? false : throw new IOException($"kill {pid} with signal {signal}: {Marshal.GetPInvokeErrorMessage(errno)}");
    }

    [DllImport("libc", EntryPoint = "lchown", SetLastError = true)]
    private static extern int NativeLChown([MarshalAs(UnmanagedType.LPUTF8Str)] string path, uint owner, uint group);

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int NativeKill(int pid, int signal);
}
