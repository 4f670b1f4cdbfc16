using System.Formats.Tar;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Builder.Vm.Output;

/// <summary>
/// Reads the tar a guest wrote to its output disk and extracts it into one empty directory: regular files with
/// plain, allowed names only, within the size and count caps; then checks every .changes against the files.
/// The guest may be rooted, so every header is hostile until checked; on any violation the directory is emptied
/// and <see cref="OutputRejectedException"/> names the entry.
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
        catch (OutputRejectedException)
        {
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
        using var reader = new TarReader(new ForwardOnlyStream(tar), leaveOpen: true);
        while (NextEntry(reader, count) is { } entry)
        {
            count++;
            if (count > limits.MaxEntries)
            {
                throw new OutputRejectedException($"output tar: more than {limits.MaxEntries} entries (entry {count} is '{Printable(entry.Name)}')");
            }
            var name = entry.Name;
            var label = $"output tar entry {count} '{Printable(name)}'";
            if (entry.EntryType is not (TarEntryType.RegularFile or TarEntryType.V7RegularFile))
            {
                throw new OutputRejectedException($"{label}: is a {Describe(entry.EntryType)}, only regular files are accepted");
            }
            if (!names.Add(name))
            {
                throw new OutputRejectedException($"{label}: appears twice");
            }
            if (entry.Length < 0 || entry.Length > limits.MaxFileSize)
            {
                throw new OutputRejectedException($"{label}: {entry.Length} bytes exceeds the per-file cap of {limits.MaxFileSize} bytes");
            }
            total += entry.Length;
            if (total > limits.MaxTotalSize)
            {
                throw new OutputRejectedException($"{label}: the output exceeds the total cap of {limits.MaxTotalSize} bytes");
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

    private static TarEntry? NextEntry(TarReader reader, int count)
    {
        try
        {
            // copyData: false — the data is read below, bounded by the checked length.
            return reader.GetNextEntry(copyData: false);
        }
        catch (Exception e) when (e is InvalidDataException or EndOfStreamException or FormatException or ArgumentException or OverflowException)
        {
            throw new OutputRejectedException($"output tar: header after entry {count} is truncated or malformed: {e.Message}", e);
        }
    }

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
        catch (Exception e) when (e is IOException or InvalidDataException)
        {
            throw new OutputRejectedException($"{label}: unreadable data: {e.Message}", e);
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

    private static string Describe(TarEntryType type) => type switch
    {
        TarEntryType.SymbolicLink => "symbolic link",
        TarEntryType.HardLink => "hard link",
        TarEntryType.CharacterDevice => "character device",
        TarEntryType.BlockDevice => "block device",
        TarEntryType.Directory => "directory",
        TarEntryType.Fifo => "FIFO",
        TarEntryType.SparseFile => "sparse file",
        _ => $"'{type}' entry",
    };

    // Guest-made text is shown in messages and logs: keep it short, and replace control and format characters
    // (U+202E and friends reorder what a reader sees), line separators and unpaired surrogates with '?'.
    internal static string Printable(string text, int maxLength = 120)
    {
        var clipped = text.Length > maxLength ? text[..maxLength] : text;
        var s = new StringBuilder(clipped.Length + 1);
        for (var i = 0; i < clipped.Length; i++)
        {
            var c = clipped[i];
            if (char.IsHighSurrogate(c) && i + 1 < clipped.Length && char.IsLowSurrogate(clipped[i + 1]))
            {
                var category = CharUnicodeInfo.GetUnicodeCategory(clipped, i);
                s.Append(category is UnicodeCategory.Format or UnicodeCategory.PrivateUse ? "?" : clipped.Substring(i, 2));
                i++;
                continue;
            }
            s.Append(CharUnicodeInfo.GetUnicodeCategory(c) switch
            {
                UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.LineSeparator
                    or UnicodeCategory.ParagraphSeparator or UnicodeCategory.Surrogate or UnicodeCategory.PrivateUse => '?',
                _ => c,
            });
        }
        if (text.Length > clipped.Length)
        {
            s.Append('…');
        }
        return s.ToString();
    }

    private static void Clear(string destination)
    {
        foreach (var path in Directory.EnumerateFileSystemEntries(destination))
        {
            File.Delete(path);
        }
    }
}
