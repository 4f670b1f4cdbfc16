namespace Builder.Farm.Protocol;

/// <summary>
/// A request up to and including its DOTI header: what the gateway needs before it lets the body in. <see cref="Length"/>
/// is the number of bytes the head took on the wire; the DOTI body of <see cref="SourceLength"/> bytes follows.
/// </summary>
internal sealed record RequestHead(ProtocolVersion Version, IReadOnlyList<string> Argv, uint SourceLength, int Length);
