namespace Builder.Vm.Output.Binaries;

/// <summary>
/// One broken rule: the file it was found in (a package file, the .changes, or <c>output</c> for the output as a
/// whole), the field concerned (null when the file as a whole is wrong) and the full message, which starts with the
/// file and quotes guest text only in printable form.
/// </summary>
public sealed record BinaryViolation(string File, string? Field, string Message)
{
    public override string ToString() => Message;
}
