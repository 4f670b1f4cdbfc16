using System.Text.Json.Serialization;

namespace Builder.Vm.Qemu;

[JsonSerializable(typeof(Dictionary<string, string>))]
internal sealed partial class QmpJsonContext : JsonSerializerContext;
