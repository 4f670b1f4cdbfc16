using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Builder.Core.Acl;

/// <summary>
/// Reads a small file that must be a regular file, without ever blocking: .NET's own open blocks forever on a FIFO
/// with no writer (a reload would hang), so the file is opened with O_NONBLOCK and anything that cannot
/// seek (FIFO, tty) is refused. Reads stop one byte past the cap, so a device such as /dev/zero costs bounded work.
/// </summary>
internal static class RegularFileReader
{
    // Same values on every Linux architecture .NET runs on (asm-generic and x86 agree for these two); Builder is Linux-only.
    private const int ONonBlock = 0x800;
    private const int OCloExec = 0x80000;

    /// <summary>The bytes of <paramref name="path"/>, or null with <paramref name="problem"/> set.</summary>
    public static byte[]? Read(string path, int maxBytes, out string? problem)
    {
        problem = null;
        try
        {
            using var handle = Open(path);
            using var stream = new FileStream(handle, FileAccess.Read, bufferSize: 0);
            if (!stream.CanSeek)
            {
                problem = "not a regular file";
                return null;
            }
            var buffer = new byte[Math.Min(maxBytes + 1L, Math.Max(stream.Length + 1, 4096))];
            using var content = new MemoryStream();
            int read;
            while ((read = stream.Read(buffer)) > 0)
            {
                content.Write(buffer, 0, read);
                if (content.Length > maxBytes)
                {
                    problem = $"larger than {maxBytes} bytes";
                    return null;
                }
            }
            return content.ToArray();
        }
        catch (UnauthorizedAccessException)
        {
            problem = "cannot read: Permission denied";
        }
        catch (IOException e)
        {
            problem = $"cannot read: {e.Message}";
        }
        return null;
    }

    private static SafeFileHandle Open(string path)
    {
        var fd = NativeOpen(path, ONonBlock | OCloExec);
        if (fd < 0)
        {
            throw new IOException(Marshal.GetLastPInvokeErrorMessage());
        }
        return new SafeFileHandle(fd, ownsHandle: true);
    }

    [DllImport("libc", EntryPoint = "open", SetLastError = true)]
    private static extern int NativeOpen([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags);
}
