using System.Globalization;
using System.Text;

namespace Builder.Vm.Output;

/// <summary>
/// Checks each extracted .changes against the extracted files: every file in Checksums-Sha256 must be present
/// with that size and sha256, and Files must agree on the sizes. Errors name the .changes file and line.
/// </summary>
internal static class ChangesVerifier
{
    private const long MaxChangesSize = 1 << 20;

    public static void Verify(IReadOnlyList<VmArtifact> artifacts)
    {
        var byName = artifacts.ToDictionary(a => a.Name, StringComparer.Ordinal);
        foreach (var changes in artifacts.Where(a => a.Name.EndsWith(".changes", StringComparison.Ordinal)))
        {
            if (changes.Size > MaxChangesSize)
            {
                throw new OutputRejectedException($"{changes.Name}: larger than {MaxChangesSize} bytes");
            }
            string text;
            try
            {
                text = new UTF8Encoding(false, true).GetString(File.ReadAllBytes(changes.Path));
            }
            catch (DecoderFallbackException e)
            {
                throw new OutputRejectedException($"{changes.Name}: not valid UTF-8", e);
            }
            Verify(changes.Name, text, byName);
        }
    }

    internal static void Verify(string changesName, string text, IReadOnlyDictionary<string, VmArtifact> files)
    {
        var sha256Entries = 0;
        string? field = null;
        var lineNumber = 0;
        foreach (var raw in text.Split('\n'))
        {
            lineNumber++;
            var line = raw.TrimEnd('\r');
            var where = $"{changesName} line {lineNumber}";
            if (line.Length == 0)
            {
                field = null;
                continue;
            }
            if (line[0] is not (' ' or '\t'))
            {
                var colon = line.IndexOf(':', StringComparison.Ordinal);
                field = colon > 0 ? line[..colon] : throw new OutputRejectedException($"{where}: expected 'Field: value'");
                continue;
            }
            var words = line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            if (string.Equals(field, "Checksums-Sha256", StringComparison.OrdinalIgnoreCase))
            {
                if (words.Length != 3)
                {
                    throw new OutputRejectedException($"{where}: Checksums-Sha256 entries are '<sha256> <size> <name>'");
                }
                var file = Lookup(where, words[2], words[1], files);
                if (!string.Equals(words[0], file.Sha256, StringComparison.OrdinalIgnoreCase))
                {
                    throw new OutputRejectedException($"{where}: {words[2]}: sha256 is {file.Sha256}, the .changes says {words[0]}");
                }
                sha256Entries++;
            }
            else if (string.Equals(field, "Files", StringComparison.OrdinalIgnoreCase))
            {
                if (words.Length != 5)
                {
                    throw new OutputRejectedException($"{where}: Files entries are '<md5> <size> <section> <priority> <name>'");
                }
                Lookup(where, words[4], words[1], files);
            }
        }
        if (sha256Entries == 0)
        {
            throw new OutputRejectedException($"{changesName}: has no Checksums-Sha256 entries");
        }
    }

    private static VmArtifact Lookup(string where, string name, string sizeText, IReadOnlyDictionary<string, VmArtifact> files)
    {
        if (ArtifactNames.Check(name) is { } problem)
        {
            throw new OutputRejectedException($"{where}: file '{OutputExtractor.Printable(name)}' {problem}");
        }
        if (!files.TryGetValue(name, out var file))
        {
            throw new OutputRejectedException($"{where}: {name} is listed but not in the output");
        }
        if (!long.TryParse(sizeText, NumberStyles.None, CultureInfo.InvariantCulture, out var size) || size != file.Size)
        {
            throw new OutputRejectedException($"{where}: {name}: size is {file.Size} bytes, the .changes says {OutputExtractor.Printable(sizeText)}");
        }
        return file;
    }
}
