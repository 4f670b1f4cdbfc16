using Builder.Core.Debian;

namespace Builder.Vm.Output.Binaries;

/// <summary>A returned package file whose control fields passed every rule, with the values read from it.</summary>
public sealed record AcceptedBinary(string File, string Package, DebianVersion Version, string Architecture, BinaryKind Kind);
