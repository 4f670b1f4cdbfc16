using System.Text.Json.Serialization;

namespace Builder.Vm.Images;

internal sealed class ManifestPackage
{
    [JsonPropertyName("name")]
    public string Name { get; set; } = "";

    [JsonPropertyName("version")]
    public string Version { get; set; } = "";

    [JsonPropertyName("architecture")]
    public string Architecture { get; set; } = "";
}
