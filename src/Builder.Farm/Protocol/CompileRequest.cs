namespace Builder.Farm.Protocol;

/// <summary>
/// One compile job as the client sent it: DIST, ARGC, ARGV… and DOTI. <see cref="Source"/> is the preprocessed
/// source, always uncompressed (protocol 2 bodies are decompressed by the parser and compressed again by the writer).
/// </summary>
internal sealed record CompileRequest(ProtocolVersion Version, IReadOnlyList<string> Argv, ReadOnlyMemory<byte> Source);
