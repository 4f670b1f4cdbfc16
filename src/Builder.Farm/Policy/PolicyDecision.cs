namespace Builder.Farm.Policy;

/// <summary>
/// The policy's verdict on one job: either the canonical argv to forward (compiler mapped, input and output reduced
/// to plain names) or the reason it was refused.
/// </summary>
internal sealed record PolicyDecision(IReadOnlyList<string>? Argv, string? Compiler, string? Refusal)
{
    public bool Allowed => Refusal is null;

    public static PolicyDecision Allow(IReadOnlyList<string> argv) => new(argv, argv[0], null);

    public static PolicyDecision Refuse(string reason) => new(null, null, reason);
}
