namespace Builder.Vm.Output.Binaries;

/// <summary>What a package file says it is (printable file name, raw name, Package, Architecture), whether or not it passed.</summary>
internal sealed record FileFacts(string File, string Name, string Package, string Architecture);
