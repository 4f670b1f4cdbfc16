namespace Builder.Vm.Output.Binaries;

/// <summary>
/// The fields of a guest-made .changes the binary check needs. <see cref="Source"/> is the bare name of
/// <c>name</c> or <c>name (version)</c>; <see cref="Files"/> are the names listed in the Files section.
/// </summary>
internal sealed record ChangesFile(
    string Name,
    string Source,
    string? SourceVersion,
    string Version,
    IReadOnlyList<string> Architectures,
    IReadOnlyList<string> Binaries,
    IReadOnlyList<string> Files);
