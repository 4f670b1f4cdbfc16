namespace Builder.Vm.Images;

/// <summary>A Debian package installed in the image, with the version the manifest records.</summary>
public sealed record VmImagePackage(string Name, string Version, string Architecture);
