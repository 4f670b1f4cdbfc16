using Builder.Farm.Pool;

namespace Builder.Farm.Gateway;

/// <summary>The farm's answer (null when no host could deliver one, then <see cref="Error"/> says why) and where it came from.</summary>
internal sealed record ForwardResult(FarmExchange? Exchange, string? Host, int Attempts, string? Error);
