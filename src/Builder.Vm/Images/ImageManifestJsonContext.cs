using System.Text.Json.Serialization;

namespace Builder.Vm.Images;

[JsonSourceGenerationOptions(UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip, MaxDepth = 8)]
[JsonSerializable(typeof(ImageManifest))]
internal sealed partial class ImageManifestJsonContext : JsonSerializerContext;
