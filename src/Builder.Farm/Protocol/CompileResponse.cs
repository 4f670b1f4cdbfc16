namespace Builder.Farm.Protocol;

/// <summary>
/// The answer to one job: DONE, STAT (a wait status: 0 = compiled, 0x100 = exit code 1), SERR, SOUT, DOTO.
/// Bodies are uncompressed.
/// </summary>
internal sealed record CompileResponse(ProtocolVersion Version, uint Status, ReadOnlyMemory<byte> Stderr, ReadOnlyMemory<byte> Stdout, ReadOnlyMemory<byte> Object)
{
    /// <summary>The status distcc reads as "the compiler exited with 1", which makes the client compile locally.</summary>
    public const uint FailedStatus = 0x100;

    public bool Succeeded => Status == 0;

    /// <summary>A refusal: status 1 with one SERR line saying why, no object.</summary>
    public static CompileResponse Refusal(ProtocolVersion version, string message) =>
        new(version, FailedStatus, System.Text.Encoding.UTF8.GetBytes($"builder gateway: {message}\n"), ReadOnlyMemory<byte>.Empty, ReadOnlyMemory<byte>.Empty);
}
