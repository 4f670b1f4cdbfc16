using System.Formats.Tar;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Builder.Core.Diagnostics;
using Builder.Core.Text;

namespace Builder.Vm.Output;

/// <summary>
/// Reads the tar a guest wrote to its output disk and extracts it into one empty directory: regular files with
/// plain, allowed names only, within the size and count caps; then checks every .changes against the files.
/// The guest may be rooted, so every header is hostile until checked: <see cref="TarHeaderGuard"/> checks each raw
/// header before TarReader parses it, and whatever TarReader still throws becomes a rejection. On any failure the
/// directory is emptied; <see cref="OutputRejectedException"/> names the entry.
/// </summary>
internal static class OutputExtractor
{
    private const int MaxExitStatusSize = 16;

    public static ExtractedOutput Extract(Stream tar, string destination, OutputLimits limits)
    {
        Directory.CreateDirectory(destination);
        if (Directory.EnumerateFileSystemEntries(destination).Any())
        {
            throw new InvalidOperationException($"{destination} must be empty before extraction");
        }
        try
        {
            var output = ExtractEntries(tar, destination, limits);
            ChangesVerifier.Verify(output.Artifacts);
            return output;
        }
        catch
        {
            // Whatever ended the extraction, no half of the guest's output stays behind.
            Clear(destination);
            throw;
        }
    }

    private static ExtractedOutput ExtractEntries(Stream tar, string destination, OutputLimits limits)
    {
        var artifacts = new List<VmArtifact>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        int? exitStatus = null;
        long total = 0;
        var count = 0;
        var guard = new TarHeaderGuard(tar, limits);
        using var reader = new TarReader(guard, leaveOpen: true);
        while (NextEntry(reader, guard) is { } entry)
        {
            if (entry.EntryType == TarEntryType.GlobalExtendedAttributes)
            {
                // Checked and counted by the guard; global attributes name no file.
                continue;
            }
            count++;
            if (count > limits.MaxEntries)
            {
                throw Limit("Vm:MaxArtifacts", $"output tar: more than {limits.MaxEntries} entries (entry {count} is '{Printable(entry.Name)}')");
            }
            var name = entry.Name;
            var label = $"output tar entry {count} '{Printable(name)}'";
            if (entry.EntryType is not (TarEntryType.RegularFile or TarEntryType.V7RegularFile))
            {
                throw new OutputRejectedException($"{label}: is a {TarEntryTypes.Describe((byte)entry.EntryType)}, only regular files are accepted");
            }
            if (!names.Add(name))
            {
                throw new OutputRejectedException($"{label}: appears twice");
            }
            if (entry.Length < 0 || entry.Length > limits.MaxFileSize)
            {
                throw Limit("Vm:MaxArtifactSize", $"{label}: {entry.Length} bytes exceeds the per-file cap of {limits.MaxFileSize} bytes");
            }
            total += entry.Length;
            if (total > limits.MaxTotalSize)
            {
                throw Limit("Vm:MaxOutputTotal", $"{label}: the output exceeds the total cap of {limits.MaxTotalSize} bytes");
            }
            if (name == ArtifactNames.ExitStatus)
            {
                exitStatus = ReadExitStatus(entry, label);
                continue;
            }
            if (ArtifactNames.Check(name) is { } problem)
            {
                throw new OutputRejectedException($"{label}: {problem}");
            }
            artifacts.Add(Write(entry, Path.Combine(destination, name), label));
        }
        return new ExtractedOutput(exitStatus, artifacts);
    }

    private static OutputRejectedException Limit(string setting, string message)
    {
        LimitHits.Record(setting);
        return new OutputRejectedException(message) { Limit = setting };
    }

    private static TarEntry? NextEntry(TarReader reader, TarHeaderGuard guard)
    {
        try
        {
            // copyData: false — the data is read below, bounded by the checked length.
            return reader.GetNextEntry(copyData: false);
        }
        catch (Exception e) when (IsTarFault(e))
        {
            throw new OutputRejectedException($"{guard.Label}: malformed header: {Printable(e.Message, 200)}", e);
        }
    }

    // Everything TarReader and the streams under it throw on bytes they cannot make sense of; the guard catches the
    // known shapes first, this maps whatever is left to a rejection instead of an error no stage expects.
    private static bool IsTarFault(Exception e) => e is IOException or InvalidDataException or FormatException or ArgumentException
        or OverflowException or NotSupportedException or InvalidOperationException or IndexOutOfRangeException;

    private static VmArtifact Write(TarEntry entry, string path, string label)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        // CreateNew: never follow or replace anything that might already be there.
        using (var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
        {
            var remaining = entry.Length;
            if (remaining > 0)
            {
                var data = entry.DataStream ?? throw new OutputRejectedException($"{label}: has no data");
                var buffer = new byte[1 << 16];
                while (remaining > 0)
                {
                    var read = ReadData(data, buffer.AsSpan(0, (int)Math.Min(buffer.Length, remaining)), label);
                    if (read == 0)
                    {
                        throw new OutputRejectedException($"{label}: truncated ({entry.Length - remaining} of {entry.Length} bytes present)");
                    }
                    file.Write(buffer, 0, read);
                    hash.AppendData(buffer, 0, read);
                    remaining -= read;
                }
            }
        }
        return new VmArtifact(Path.GetFileName(path), path, entry.Length, Convert.ToHexStringLower(hash.GetHashAndReset()));
    }

    private static int ReadData(Stream data, Span<byte> buffer, string label)
    {
        try
        {
            return data.Read(buffer);
        }
        catch (Exception e) when (IsTarFault(e))
        {
            throw new OutputRejectedException($"{label}: unreadable data: {Printable(e.Message, 200)}", e);
        }
    }

    private static int ReadExitStatus(TarEntry entry, string label)
    {
        if (entry.Length > MaxExitStatusSize)
        {
            throw new OutputRejectedException($"{label}: larger than {MaxExitStatusSize} bytes");
        }
        var buffer = new byte[entry.Length];
        var data = entry.DataStream;
        var filled = 0;
        while (data is not null && filled < buffer.Length && ReadData(data, buffer.AsSpan(filled), label) is var n and > 0)
        {
            filled += n;
        }
        var text = Encoding.ASCII.GetString(buffer, 0, filled).TrimEnd('\n');
        if (filled != buffer.Length || text.Length is 0 or > 3 || !text.All(char.IsAsciiDigit))
        {
            throw new OutputRejectedException($"{label}: must hold a decimal exit status 0..255");
        }
        var status = int.Parse(text, NumberStyles.None, CultureInfo.InvariantCulture);
        return status <= 255 ? status : throw new OutputRejectedException($"{label}: must hold a decimal exit status 0..255");
    }

    // Guest-made text is shown in messages and logs: short, and cleaned of everything that changes how it reads.
    internal static string Printable(string text, int maxLength = 120) => UntrustedText.CleanCut(text, maxLength);

    private static void Clear(string destination)
    {
        foreach (var path in Directory.EnumerateFileSystemEntries(destination))
        {
            File.Delete(path);
        }
    }
}
