using Builder.Core.Debian;

namespace Builder.Vm.Output.Binaries;

/// <summary>
/// What the host knows before the build, from the source it prepared: the source name and changelog version, the
/// architecture it built for, and the binary packages debian/control declares. Everything returned is checked
/// against this, never against what the guest says about itself.
/// </summary>
public sealed record BinaryExpectation(string Source, DebianVersion Version, string BuildArchitecture, IReadOnlyList<BinaryControl> Declared);
