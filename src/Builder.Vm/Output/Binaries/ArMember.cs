namespace Builder.Vm.Output.Binaries;

/// <summary>One member of an ar archive: its name (without GNU's '/' terminator), where its data starts and its size.</summary>
internal sealed record ArMember(string Name, long Offset, long Size);
