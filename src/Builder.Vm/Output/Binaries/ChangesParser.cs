using System.Text;
using Builder.Core.Debian;

namespace Builder.Vm.Output.Binaries;

/// <summary>
/// Reads the fields of a guest-made .changes the binary check compares: Source, Version, Architecture, Binary and
/// Files. Bounded like <see cref="ChangesVerifier"/> (1 MiB); a format problem is a violation naming the line.
/// </summary>
internal static class ChangesParser
{
    public const long MaxSize = 1 << 20;

    private const int MaxFields = 200;

    private const int MaxFieldLength = 256 * 1024;

    /// <summary>The parsed file, or null with the problems added to <paramref name="violations"/>.</summary>
    public static ChangesFile? Parse(VmArtifact changes, List<BinaryViolation> violations)
    {
        var name = OutputExtractor.Printable(changes.Name);
        if (changes.Size > MaxSize)
        {
            violations.Add(new BinaryViolation(name, null, $"{name}: larger than {MaxSize} bytes"));
            return null;
        }
        string text;
        try
        {
            text = new UTF8Encoding(false, true).GetString(File.ReadAllBytes(changes.Path));
        }
        catch (Exception e) when (e is DecoderFallbackException or IOException or UnauthorizedAccessException)
        {
            violations.Add(new BinaryViolation(name, null, $"{name}: unreadable or not UTF-8: {OutputExtractor.Printable(e.Message)}"));
            return null;
        }
        return Parse(name, text, violations);
    }

    internal static ChangesFile? Parse(string name, string text, List<BinaryViolation> violations)
    {
        IReadOnlyList<Deb822Stanza> stanzas;
        try
        {
            stanzas = Deb822.ReadStanzas(text, name, MaxFields, 2, MaxFieldLength);
        }
        catch (DebianFormatException e)
        {
            violations.Add(new BinaryViolation(name, null, OutputExtractor.Printable(e.Message, 400)));
            return null;
        }
        if (stanzas.Count != 1)
        {
            violations.Add(new BinaryViolation(name, null, stanzas.Count == 0
                ? $"{name}: has no fields"
                : $"{name} line {stanzas[1].Line}: a second stanza; a .changes has one (an unsigned one: the guest does not sign)"));
            return null;
        }
        var stanza = stanzas[0];
        var before = violations.Count;
        string Required(string field)
        {
            if (stanza.TryGetValue(field, out var f) && f.Value.Length > 0)
            {
                return f.Value;
            }
            violations.Add(new BinaryViolation(name, field, $"{name}: {field} field is missing"));
            return "";
        }
        var sourceField = Required("Source");
        var version = Required("Version");
        var architecture = Required("Architecture");
        var binary = Required("Binary");
        Required("Files");
        string source = sourceField;
        string? sourceVersion = null;
        if (sourceField.Length > 0 && !SourceField.TryParse(sourceField, out source, out sourceVersion))
        {
            stanza.TryGetValue("Source", out var f);
            violations.Add(new BinaryViolation(name, "Source",
                $"{name} line {f!.Line}: Source '{OutputExtractor.Printable(sourceField)}' is not 'name' or 'name (version)'"));
        }
        var files = new List<string>();
        if (stanza.TryGetValue("Files", out var filesField))
        {
            var entries = filesField.Value.Split('\n');
            for (var i = 0; i < entries.Length; i++)
            {
                if (i == 0 && entries[0].Length == 0)
                {
                    continue;
                }
                var words = entries[i].Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
                if (words.Length != 5)
                {
                    violations.Add(new BinaryViolation(name, "Files",
                        $"{name} line {filesField.Lines[i]}: Files entries are '<md5> <size> <section> <priority> <name>'"));
                    continue;
                }
                files.Add(words[4]);
            }
        }
        return violations.Count > before
            ? null
            : new ChangesFile(name, source, sourceVersion, version, Words(architecture), Words(binary), files);
    }

    private static string[] Words(string value) => value.Split([' ', '\t', '\n'], StringSplitOptions.RemoveEmptyEntries);
}
