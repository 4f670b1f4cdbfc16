using System.Runtime.InteropServices;

namespace Builder.Farm.Protocol;

/// <summary>
/// LZO1X through Debian's liblzo2 (the library distcc itself links). Only the bounds-checking decompressor
/// (<c>lzo1x_decompress_safe</c>) is used on untrusted input; output never exceeds the caller's cap.
/// </summary>
internal static partial class Lzo
{
    private const string Library = "liblzo2.so.2";
    private const int OutputOverrun = -5;
    private const int WorkMemoryBytes = 16384 * 8; // LZO1X_1_MEM_COMPRESS on LP64

    /// <summary>Decompresses <paramref name="input"/>; output larger than <paramref name="maxOutput"/> is refused.</summary>
    /// <exception cref="ByteBudgetExceededException"><paramref name="budget"/> had no room for the next output buffer.</exception>
    public static byte[] Decompress(ReadOnlySpan<byte> input, int maxOutput, string what, ProtocolVersion version, IByteBudget? budget = null)
    {
        // Start near the usual ratio and grow: a bomb costs at most maxOutput bytes and a few passes, never more.
        var size = (int)Math.Min(maxOutput, Math.Max(64 * 1024, (long)input.Length * 4));
        while (true)
        {
            // Charged per attempt: a failed attempt's buffer is garbage but not yet collected.
            budget?.Charge(size);
            var output = GC.AllocateUninitializedArray<byte>(size);
            var produced = (nuint)output.Length;
            int rc;
            unsafe
            {
                fixed (byte* src = input)
                fixed (byte* dst = output)
                {
                    rc = lzo1x_decompress_safe(src, (nuint)input.Length, dst, ref produced, null);
                }
            }
            if (rc == 0)
            {
                if (produced == (nuint)output.Length)
                {
                    return output;
                }
                budget?.Charge((long)produced);
                return output.AsSpan(0, (int)produced).ToArray();
            }
            if (rc == OutputOverrun && size < maxOutput)
            {
                size = (int)Math.Min(maxOutput, (long)size * 4);
                continue;
            }
            throw rc == OutputOverrun
                ? new ProtocolException($"{what} decompresses to more than {maxOutput} bytes (Farm:MaxDecompressedBytes)", version)
                : new ProtocolException($"{what} is not valid LZO1X data (lzo error {rc})", version);
        }
    }

    public static byte[] Compress(ReadOnlySpan<byte> input)
    {
        var output = GC.AllocateUninitializedArray<byte>(input.Length + (input.Length / 16) + 64 + 3);
        var produced = (nuint)output.Length;
        var work = new byte[WorkMemoryBytes];
        int rc;
        unsafe
        {
            fixed (byte* src = input)
            fixed (byte* dst = output)
            fixed (byte* wrk = work)
            {
                rc = lzo1x_1_compress(src, (nuint)input.Length, dst, ref produced, wrk);
            }
        }
        if (rc != 0)
        {
            throw new InvalidOperationException($"lzo1x_1_compress failed with {rc}");
        }
        return output.AsSpan(0, (int)produced).ToArray();
    }

    [LibraryImport(Library)]
    private static unsafe partial int lzo1x_decompress_safe(byte* src, nuint srcLen, byte* dst, ref nuint dstLen, void* wrkmem);

    [LibraryImport(Library)]
    private static unsafe partial int lzo1x_1_compress(byte* src, nuint srcLen, byte* dst, ref nuint dstLen, void* wrkmem);
}
