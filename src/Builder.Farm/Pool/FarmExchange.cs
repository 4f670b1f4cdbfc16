using Builder.Farm.Protocol;

namespace Builder.Farm.Pool;

/// <summary>A farm host's answer and the farm time: from starting to connect until its answer is complete.</summary>
internal sealed record FarmExchange(CompileResponse Response, TimeSpan FarmTime);
