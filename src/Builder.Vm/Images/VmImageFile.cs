namespace Builder.Vm.Images;

/// <summary>One file of a <see cref="VmImage"/> as its manifest records it.</summary>
public sealed record VmImageFile(string Name, string Path, long Size, string Sha256);
