using Builder.Farm.Protocol;

namespace Builder.Farm.Pool;

/// <summary>A farm host's answer and how long the host took between our last request byte and its first answer byte.</summary>
internal sealed record FarmExchange(CompileResponse Response, TimeSpan FarmTime);
