using System.Text.Json.Serialization;
using System.Text.RegularExpressions;

namespace Builder.Vm.Images;

/// <summary>The JSON shape of image.json (written by ops/image/build-image).</summary>
internal sealed partial class ImageManifest
{
    [JsonPropertyName("format")]
    public int Format { get; set; }

    [JsonPropertyName("recipe")]
    public string Recipe { get; set; } = "";

    [JsonPropertyName("init")]
    public string Init { get; set; } = "";

    [JsonPropertyName("files")]
    public List<ManifestFile> Files { get; set; } = [];

    [JsonPropertyName("packages")]
    public List<ManifestPackage> Packages { get; set; } = [];

    [GeneratedRegex("^[a-z0-9][a-z0-9._-]{0,63}$")]
    private static partial Regex PlainName();

    [GeneratedRegex("^[0-9a-f]{64}$")]
    private static partial Regex Sha256Hex();

    [GeneratedRegex("^/[A-Za-z0-9/._-]{1,200}$")]
    private static partial Regex GuestPath();

    public IEnumerable<string> Validate()
    {
        if (Format != 1)
        {
            yield return $"format {Format} is not supported (expected 1)";
        }
        if (!PlainName().IsMatch(Recipe))
        {
            yield return "recipe is missing or not a plain name";
        }
        if (!GuestPath().IsMatch(Init))
        {
            yield return $"init '{Init}' is not an absolute guest path";
        }
        foreach (var role in new[] { "root", "kernel", "initrd" })
        {
            var count = Files.Count(f => f.Role == role);
            if (count != 1)
            {
                yield return $"files: expected one '{role}' file, found {count}";
            }
        }
        foreach (var f in Files)
        {
            if (!PlainName().IsMatch(f.Name) || !Sha256Hex().IsMatch(f.Sha256) || f.Size <= 0)
            {
                yield return $"files: entry '{f.Name}' needs a plain name, a positive size and a lowercase sha256";
            }
        }
    }
}
