namespace Builder.Vm.Output.Binaries;

/// <summary>
/// The outcome of checking a build's returned binaries: the package files that passed their own rules, and every
/// violation found. Publish only when <see cref="IsAccepted"/>: a single violation anywhere rejects the whole output,
/// because the .changes ties the files together.
/// </summary>
public sealed record BinaryCheckResult(IReadOnlyList<AcceptedBinary> Accepted, IReadOnlyList<BinaryViolation> Violations)
{
    public bool IsAccepted => Violations.Count == 0;
}
