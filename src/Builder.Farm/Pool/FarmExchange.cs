using Builder.Farm.Protocol;

namespace Builder.Farm.Pool;

/// <summary>
/// A farm host's answer and the farm time: from starting to connect until its answer is complete. Of that, the answer
/// streaming: from its first bytes to its last (distccd writes an answer in several writes).
/// </summary>
internal sealed record FarmExchange(CompileResponse Response, TimeSpan FarmTime, TimeSpan AnswerStreaming);
